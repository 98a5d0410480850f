// A model playground built with Blocks: a chat beside its generation settings (sliders in an
// accordion), tabs, a streamed answer that Stop really stops, `.then` for statistics, `load`,
// and update() to show the seed only when sampling.
import { Blocks, type ChatMessage, update, userError } from "dais";
import { generate } from "./wordModel.ts";

const demo = new Blocks({ title: "Playground", description: "A tiny word model, streamed. Change its generation settings beside the chat (below it on a phone)." }, (ui) => {
  ui.tabs(() => {
    ui.tab("Chat", () => {
      const history = ui.state<ChatMessage[]>([]);
      let chat!: ReturnType<typeof ui.chatbot>;
      let box!: ReturnType<typeof ui.textbox>;
      let maxWords!: ReturnType<typeof ui.slider>;
      let temperature!: ReturnType<typeof ui.slider>;
      let seed!: ReturnType<typeof ui.number>;
      let send!: ReturnType<typeof ui.button>;
      let stop!: ReturnType<typeof ui.button>;
      let stats!: ReturnType<typeof ui.markdown>;
      ui.row(() => {
        ui.column({ scale: 3 }, () => {
          chat = ui.chatbot({ label: "Conversation", height: 360 });
          box = ui.textbox({ label: "Message", placeholder: "Say something and press Enter" });
          ui.row(() => {
            send = ui.button({ value: "Send", variant: "primary" });
            stop = ui.button({ value: "Stop", variant: "stop" });
          });
        });
        ui.column({ scale: 1, minWidth: 220 }, () => {
          ui.accordion("Generation settings", () => {
            maxWords = ui.slider({ label: "Max words", minimum: 1, maximum: 200, step: 1, value: 30 });
            temperature = ui.slider({ label: "Temperature", minimum: 0, maximum: 2, step: 0.1, value: 0.7 });
            seed = ui.number({ label: "Seed", value: 1, precision: 0 });
          });
          stats = ui.markdown({ label: "Statistics", value: "No answer yet." });
        });
      });
      const reply = ui.on([[send, "click"], [box, "submit"]], {
        fn: async function* (message: string, words: number, temp: number, s: number, past: ChatMessage[], ctx) {
          if (message.trim() === "") throw userError("Type a message first.");
          const turn: ChatMessage[] = [...past, { role: "user", content: message }];
          let answer = "";
          yield [turn, "", turn];
          for await (const word of generate(message, { maxWords: words, temperature: temp, seed: s, signal: ctx.signal })) {
            answer += (answer ? " " : "") + word;
            const next: ChatMessage[] = [...turn, { role: "assistant", content: answer }];
            yield [next, "", next];
          }
        },
        inputs: [box, maxWords, temperature, seed, history],
        outputs: [chat, box, history],
        apiName: "reply",
      });
      reply.then({
        fn: (past: ChatMessage[]) => {
          const last = past.at(-1);
          const count = last?.role === "assistant" ? last.content.split(" ").length : 0;
          return `Last answer: **${count}** words; ${past.length / 2} exchanges so far.`;
        },
        inputs: [history],
        outputs: [stats],
        apiName: false,
      });
      stop.click({ cancels: [reply] });
      // The seed matters only when sampling: it shows only then.
      temperature.change({ fn: (t: number) => update({ visible: t > 0 }), inputs: [temperature], outputs: [seed], apiName: false });
      ui.load({ fn: (past: ChatMessage[]) => (past.length ? `Welcome back: ${past.length / 2} exchanges so far.` : "No answer yet."), inputs: [history], outputs: [stats], apiName: false });
    });
    ui.tab("About", () => {
      ui.markdown("The model is a word-level Markov chain over a paragraph about Dais, sampled with a temperature and a seed. Swap `generate` for a real model from `@dais/models`.");
    });
  });
});

await demo.launch();
