import type { FileData } from "@dais/core";
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import type { RendererProps } from "../../Renderer.ts";
import { Field } from "../Field.tsx";
import { FileDrop } from "../FileDrop.tsx";
import { FilePreview } from "../FilePreview.tsx";
import { asFileData, fileHref, fileName, uploadFiles } from "../uploadFiles.ts";

/** Sound in a player, with Download; upload, drop, or record it with the microphone. */
export function Audio({ config, value, interactive, domId, app }: RendererProps<"audio">) {
  const p = config.props;
  const label = p.label ?? "Audio";
  const file = asFileData(value.value);
  const sources = p.sources ?? ["upload", "microphone"];
  const set = (f: FileData | undefined) => (value.value = f ?? null);
  return (
    <Field label={label} domId={domId} info={p.info} as="div">
      <div class="file-field" role="group" aria-labelledby={`${domId}-label`}>
      <FilePreview file={file} label={label} interactive={interactive} empty="No audio" onRemove={() => (value.value = null)}>
        {file ? <audio controls src={fileHref(file)} aria-label={`${label}: ${fileName(file)}`} /> : null}
      </FilePreview>
      {interactive && !file && sources.includes("upload") ? <FileDrop app={app} component={config.id} domId={domId} label={label} accept="audio/*" hint="Drop a sound file here or choose one:" onFiles={([f]) => set(f)} /> : null}
      {interactive && !file && sources.includes("microphone") ? <Recorder label={label} app={app} onRecorded={set} /> : null}
      </div>
    </Field>
  );
}

/** Record / Stop with the microphone (MediaRecorder); the recording is uploaded like a file. */
function Recorder(props: { label: string; app: RendererProps<"audio">["app"]; onRecorded: (f: FileData | undefined) => void }) {
  const recording = useSignal(false);
  const error = useSignal<string | null>(null);
  const recorder = useRef<MediaRecorder | null>(null);
  useEffect(() => () => recorder.current?.stream.getTracks().forEach((t) => t.stop()), []);
  const start = async () => {
    error.value = null;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const chunks: Blob[] = [];
      const r = new MediaRecorder(stream);
      r.ondataavailable = (e) => chunks.push(e.data);
      r.onstop = async () => {
        stream.getTracks().forEach((t) => t.stop());
        const type = r.mimeType || "audio/webm";
        const blob = new Blob(chunks, { type });
        try {
          const [f] = await uploadFiles([new File([blob], `recording.${type.includes("ogg") ? "ogg" : "webm"}`, { type: type.split(";")[0] ?? type })], props.app.client.session);
          props.onRecorded(f);
        } catch (e) {
          error.value = (e as Error).message;
        }
      };
      recorder.current = r;
      r.start();
      recording.value = true;
    } catch (e) {
      error.value = `The microphone could not be used: ${(e as Error).message}`;
    }
  };
  const stop = () => {
    recorder.current?.stop();
    recorder.current = null;
    recording.value = false;
  };
  return (
    <div class="recorder">
      {recording.value ? (
        <button type="button" class="stop" onClick={stop} aria-label={`Stop recording ${props.label}`}>
          Stop recording
        </button>
      ) : (
        <button type="button" onClick={() => void start()} aria-label={`Record ${props.label} with the microphone`}>
          Record
        </button>
      )}
      {recording.value ? <span role="status" class="status">Recording…</span> : null}
      {error.value ? <span role="alert" class="file-error">{error.value}</span> : null}
    </div>
  );
}
