import { Interface, slider, textbox } from "dais";

// A function with named inputs and outputs: Dais checks fn's types against them.
function greet(name: string, excitement: number) {
  return `Hello, ${name}${"!".repeat(excitement)}`;
}

await new Interface({
  fn: greet,
  inputs: [textbox({ label: "Name", placeholder: "Ada" }), slider({ label: "Excitement", minimum: 1, maximum: 5, step: 1, value: 1 })],
  outputs: [textbox({ label: "Greeting" })],
  title: "Greeter",
}).launch();
