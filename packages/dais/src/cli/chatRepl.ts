import { createInterface } from "node:readline";
import type { ChatMessage } from "@dais/core";
import type { ChatPredict } from "./loadChatPredict.ts";

export interface ChatReplOptions {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream & { isTTY?: boolean };
  /** The system prompt the conversation starts with (instruct models only). */
  system?: string | undefined;
}

/** The chat's commands, for /help and --help. */
export const chatCommandsHelp = `  /clear           Start a new conversation (the system prompt stays)
  /system <text>   Set the system prompt (instruct models); /system alone shows it
  /help            Show this list
  /exit            Leave (or Ctrl+D)
  Ctrl+C           Stop the reply being written; at the prompt, leave`;

/** What the chat prints, besides the replies. */
export const chatMessages = {
  welcome: "Type a message, /help for commands, /exit or Ctrl+D to leave.",
  cleared: "New conversation.",
  stopped: "(stopped)",
  empty: "(empty reply)",
  systemSet: (text: string) => `System prompt set: ${text}`,
  systemShown: (text: string | undefined) => (text ? `System prompt: ${text}` : "No system prompt (the model's own default applies)."),
  noSystem: (family: string) => `This model (${family}) takes no system prompt; /system is for instruct models.`,
  unknown: (command: string) => `Unknown command ${command}; /help lists the commands.`,
} as const;

/**
 * A chat in the terminal: reads messages, streams each reply as it is generated, keeps the
 * conversation as role/content messages. Ctrl+C during a reply stops it (its AbortSignal fires
 * and the reply so far stays in the conversation); at the prompt it leaves. Resolves to the exit
 * code: 0 for /exit and end of input, 130 for Ctrl+C at the prompt.
 * @example process.exitCode = await chatRepl(await loadChatPredict("./my-model", {}), { input: process.stdin, output: process.stdout });
 */
export async function chatRepl(predict: ChatPredict, options: ChatReplOptions): Promise<number> {
  const { input, output } = options;
  const rl = createInterface({ input, output, prompt: "> ", terminal: Boolean(input.isTTY && output.isTTY) });
  const say = (text: string) => output.write(`${text}\n`);
  let system = options.system;
  let history: ChatMessage[] = [];
  let reply: AbortController | undefined;
  let code = 0;

  // In a terminal readline reads Ctrl+C as a key (raw mode); from a pipe it is a real SIGINT.
  const interrupt = () => {
    if (reply) return reply.abort();
    code = 130;
    output.write("\n");
    rl.close();
  };
  rl.on("SIGINT", interrupt);
  process.on("SIGINT", interrupt);

  const respond = async (message: string) => {
    reply = new AbortController();
    const messages: ChatMessage[] = system ? [{ role: "system", content: system }, ...history] : history;
    let text = "";
    try {
      for await (const sofar of predict.chat(message, messages, { signal: reply.signal })) {
        // Each yield is the whole reply so far, and it only grows: print what is new.
        output.write(sofar.startsWith(text) ? sofar.slice(text.length) : `\n${sofar}`);
        text = sofar;
      }
      if (reply.signal.aborted) output.write(`${text ? "\n" : ""}${chatMessages.stopped}`);
      else if (!text) output.write(chatMessages.empty);
      output.write("\n");
      history = [...history, { role: "user", content: message }, { role: "assistant", content: text }];
    } catch (e) {
      say(`\nError: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      reply = undefined;
    }
  };

  const command = (line: string): "exit" | void => {
    const name = line.split(/\s/, 1)[0]!;
    const arg = line.slice(name.length).trim();
    switch (name) {
      case "/exit":
        return "exit";
      case "/help":
        return void say(`Commands:\n${chatCommandsHelp}`);
      case "/clear":
        history = [];
        return void say(chatMessages.cleared);
      case "/system":
        if (predict.family !== "chatModel") return void say(chatMessages.noSystem(predict.family));
        if (!arg) return void say(chatMessages.systemShown(system));
        system = arg;
        return void say(chatMessages.systemSet(arg));
      default:
        return void say(chatMessages.unknown(name));
    }
  };

  say(chatMessages.welcome);
  rl.prompt();
  let exited = false;
  try {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line.startsWith("/")) exited = command(line) === "exit";
      else if (line) await respond(line);
      if (exited) break;
      rl.prompt();
    }
    // Ctrl+D leaves the cursor after the prompt: end that line.
    if (!exited && code === 0) output.write("\n");
  } finally {
    process.off("SIGINT", interrupt);
    rl.close();
  }
  return code;
}
