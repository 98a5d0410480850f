import type { AppState } from "./AppState.ts";
import { ChatLayout } from "./ChatLayout.tsx";
import { RichText } from "./components/RichText.tsx";
import { InterfaceLayout } from "./InterfaceLayout.tsx";
import { ThemeToggle } from "./ThemeToggle.tsx";

/** The page: title and description, the app's layout, then the article. */
export function App({ app }: { app: AppState }) {
  const { config } = app;
  const status = app.client.status.value;
  return (
    <>
      <header>
        <div class="title-row">
          {config.title ? <h1>{config.title}</h1> : <span />}
          <ThemeToggle />
        </div>
        {config.description ? <RichText text={config.description} class="description" /> : null}
      </header>
      {status !== "open" ? (
        <p class="status" role="status">
          {status === "connecting" ? "Connecting…" : "Connection lost, reconnecting…"}
        </p>
      ) : null}
      {config.layout === "chat" && config.chat ? <ChatLayout app={app} chat={config.chat} /> : <InterfaceLayout app={app} />}
      {config.article ? <RichText text={config.article} class="article" /> : null}
    </>
  );
}
