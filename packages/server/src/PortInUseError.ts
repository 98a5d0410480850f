/**
 * The port asked for (launch's `port`, `DAIS_SERVER_PORT`, `dais run --port`) is taken. Its
 * message is one line a developer can act on; `launch()` of an app prints it and exits rather
 * than showing a stack trace (see launchApp in `dais`).
 */
export class PortInUseError extends Error {
  override readonly name = "PortInUseError";
  constructor(readonly port: number) {
    super(`Port ${port} is already in use. Choose another with --port <n> (dais run), launch({ port }) or DAIS_SERVER_PORT; leave it out to take the first free port from 7860.`);
  }
}
