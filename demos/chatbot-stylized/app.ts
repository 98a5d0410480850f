// A ChatInterface with its own look: theme tokens for light and dark, extra CSS, avatars and
// full-width panels instead of bubbles.
import { ChatInterface, chatbot } from "dais";

const replies = ["Tell me more.", "Why do you think that is?", "Interesting — go on.", "How does that make you feel?"];

await new ChatInterface({
  fn: (message, history) => (message.endsWith("?") ? "Good question. What do you think?" : replies[(history.length / 2) % replies.length]!),
  title: "Eliza, styled",
  description: "A tiny therapist with a custom theme.",
  chatbot: chatbot({ label: "Session", height: 440, layout: "panel", avatars: ["🙂", "🌿"], placeholder: "How are you feeling today?" }),
  examples: ["I feel tired.", "Why is the sky blue?"],
  theme: {
    tokens: { accent: "#0f766e", userBubble: "#e6fffa", botBubble: "#f0fdf4", radius: "16px", font: "Georgia, 'Times New Roman', serif" },
    dark: { accent: "#2dd4bf", userBubble: "#0f3d3a", botBubble: "#052e2b" },
  },
  css: `
    h1 { letter-spacing: .04em; text-transform: uppercase; color: var(--accent); }
    .avatar { background: transparent; border: 1px solid var(--border); }
  `,
}).launch();
