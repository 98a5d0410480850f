// Blocks: a free layout with events, the program of the Blocks guide exactly as written.
import { Blocks } from "dais";

const demo = new Blocks({ title: "Greeter" }, (ui) => {
  ui.markdown("Say hello to someone.");
  const name = ui.textbox({ label: "Name" });
  const times = ui.slider({ label: "Times", minimum: 1, maximum: 3, step: 1, value: 1 });
  const greeted = ui.state(0);
  ui.row(() => {
    const greet = ui.button("Greet");
    const out = ui.textbox({ label: "Greeting", interactive: false });
    const count = ui.number({ label: "Greetings so far" });
    greet.click({
      fn: (n: string, k: number, c: number) => [Array(k).fill(`Hello ${n}!`).join(" "), c + 1, c + 1],
      inputs: [name, times, greeted],
      outputs: [out, greeted, count],
    });
  });
  ui.accordion("More", { open: false }, () => {
    const shout = ui.checkbox({ label: "Shout" });
    const preview = ui.textbox({ label: "Preview" });
    name.change({ fn: (n: string, s: boolean) => (s ? n.toUpperCase() : n), inputs: [name, shout], outputs: [preview] });
  });
});
await demo.launch();
