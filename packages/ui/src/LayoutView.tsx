import type { LayoutNode } from "@dais/core";
import { useState } from "preact/hooks";
import type { AppState } from "./AppState.ts";
import { ChatLayout } from "./ChatLayout.tsx";
import { ComponentView } from "./ComponentView.tsx";

/** Renders the app's layout tree: rows, columns, groups, tabs and accordions around components. */
export function LayoutView({ app, node }: { app: AppState; node: LayoutNode }) {
  switch (node.type) {
    case "component": {
      const config = app.config.components.find((c) => c.id === node.id);
      return config ? <ComponentView app={app} config={config} /> : null;
    }
    case "chat":
      return <ChatLayout app={app} chat={node.chat} />;
    case "row":
      return (
        <div class={node.props.variant === "panel" ? "panels" : "row"}>
          <Children app={app} nodes={node.children} />
        </div>
      );
    case "column": {
      const { scale, minWidth, variant, label } = node.props;
      const style = { flexGrow: scale ?? 1, minWidth: minWidth === undefined ? undefined : `${minWidth}px` };
      return variant === "panel" ? (
        <section class="panel" aria-label={label} style={style}>
          <Children app={app} nodes={node.children} />
        </section>
      ) : (
        <div class="column" aria-label={label} style={style}>
          <Children app={app} nodes={node.children} />
        </div>
      );
    }
    case "group":
      return (
        <div class="group">
          <Children app={app} nodes={node.children} />
        </div>
      );
    case "accordion":
      return (
        <details class="accordion" open={node.props.open}>
          <summary>{node.props.label}</summary>
          <div class="accordion-body">
            <Children app={app} nodes={node.children} />
          </div>
        </details>
      );
    case "tabs":
      return <Tabs app={app} tabs={node.children.filter((c) => c.type === "tab")} selected={node.props.selected ?? 0} />;
    case "tab":
      return <Children app={app} nodes={node.children} />;
  }
}

function Children({ app, nodes }: { app: AppState; nodes: LayoutNode[] }) {
  return (
    <>
      {nodes.map((n, i) => (
        <LayoutView key={n.type === "component" ? `c${n.id}` : i} app={app} node={n} />
      ))}
    </>
  );
}

let tabsCount = 0;

/**
 * Tabs as WAI-ARIA describes them: arrow keys move between tabs. Every panel stays mounted
 * (hidden when not selected), so values typed in one tab survive a visit to another.
 */
function Tabs({ app, tabs, selected }: { app: AppState; tabs: Extract<LayoutNode, { type: "tab" }>[]; selected: number }) {
  const [current, setCurrent] = useState(Math.min(selected, tabs.length - 1));
  const [base] = useState(() => `tabs${tabsCount++}`);
  const move = (to: number) => {
    const next = (to + tabs.length) % tabs.length;
    setCurrent(next);
    document.getElementById(`${base}-tab${next}`)?.focus();
  };
  return (
    <div class="tabs">
      <div role="tablist" class="tablist">
        {tabs.map((t, i) => (
          <button
            type="button"
            role="tab"
            id={`${base}-tab${i}`}
            aria-selected={i === current}
            aria-controls={`${base}-panel${i}`}
            tabIndex={i === current ? 0 : -1}
            onClick={() => setCurrent(i)}
            onKeyDown={(e) => {
              if (e.key === "ArrowRight") move(i + 1);
              else if (e.key === "ArrowLeft") move(i - 1);
            }}
          >
            {t.props.label}
          </button>
        ))}
      </div>
      {tabs.map((t, i) => (
        <div role="tabpanel" class="tabpanel" id={`${base}-panel${i}`} aria-labelledby={`${base}-tab${i}`} hidden={i !== current}>
          <LayoutView app={app} node={t} />
        </div>
      ))}
    </div>
  );
}
