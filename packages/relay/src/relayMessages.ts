/** What the relay tells visitors and apps, in one place. Plain text, one line each. */
export const relayMessages = {
  home: "This is a Dais relay. Apps share through it with launch({ share: \"<this address>/?key=<key>\" }).",
  notFound: "Nothing here.",
  badPath: "That path cannot be carried to the app.",
  unknownLink: "No app is shared at this link. It may have stopped, or the link is mistyped.",
  reconnecting: "The app is reconnecting to the relay. Try again in a moment.",
  busy: "This app has too many requests in progress. Try again in a moment.",
  badRequest: "The relay cannot carry this request.",
  tooLarge: "The request body is too large for this relay.",
  timeout: "The app did not answer in time.",
  appGone: "The app disconnected before it answered.",
  wrongKey: "Wrong relay key.",
  full: "This relay carries as many apps as it can. Try again later.",
  noHello: "The app did not say hello in time.",
  helloFirst: "The first frame must be hello.",
  replaced: "The app reconnected on another tunnel.",
  relayClosing: "The relay is shutting down.",
} as const;
