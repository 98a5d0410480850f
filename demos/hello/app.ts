// The smallest app: text in, text out.
import { Interface, textbox } from "dais";

function greet(name: string) {
  return `Hello, ${name.trim() || "world"}!`;
}

await new Interface({
  fn: greet,
  inputs: [textbox({ label: "Name", placeholder: "Your name" })],
  outputs: [textbox({ label: "Greeting" })],
  title: "Hello",
}).launch();
