// What a chat page shows only once it is used: thinking and tool-call blocks, the edit box,
// and the saved conversations. One lazily loaded chunk for all of them, with their styles,
// since every further chunk costs the page its own request and a worse compression of the
// shared code.
import styles from "./chatExtras.css";

const style = document.createElement("style");
style.textContent = styles.replace(/\/\*[^]*?\*\//g, "");
document.head.append(style);

export { Block, Content, EditForm } from "./components/chatbot/ChatBlocks.tsx";
export { messageTree } from "./components/chatbot/messageTree.ts";
export { AttachFiles, MessageFiles } from "./components/chatbot/ChatAttachments.tsx";
export { SavedChatsPanel } from "./savedChats/SavedChatsPanel.tsx";
