import type { AppState } from "./AppState.ts";
import { RichText } from "./components/RichText.tsx";
import { ErrorBanner } from "./ErrorBanner.tsx";
import { LayoutView } from "./LayoutView.tsx";
import { QueueStatus } from "./QueueStatus.tsx";
import { ThemeToggle } from "./ThemeToggle.tsx";
import { hasChat } from "./hasChat.ts";

/** The page: title and description, the app's layout tree, the article, and a footer. */
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
      {status !== "open" && app.client.startupError.value !== undefined ? (
        <div class="status startup-error" role="alert">
          <p>
            <strong>The app failed to start.</strong> Fix the error and save; this page reconnects by itself.
          </p>
          <pre>{app.client.startupError.value}</pre>
        </div>
      ) : status !== "open" ? (
        <p class="status" role="status">
          {status === "connecting" ? "Connecting…" : "Connection lost, reconnecting…"}
        </p>
      ) : null}
      <LayoutView app={app} node={config.layout} />
      {/* A chat shows these in its own place, under the conversation. */}
      {hasChat(config.layout) ? null : (
        <>
          <QueueStatus app={app} />
          <ErrorBanner app={app} />
        </>
      )}
      {config.article ? <RichText text={config.article} class="article" /> : null}
      {/* As in Gradio: how to call the app from a program (served by the server's Gradio adapter). */}
      {config.fns.some((f) => f.api !== null) ? (
        <footer class="footer">
          <a href="api">Use via API</a>
        </footer>
      ) : null}
    </>
  );
}
