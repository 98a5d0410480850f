/** The Dais version, sent in the app config so a UI can tell which server it talks to. */
export const version = "0.1.0";
