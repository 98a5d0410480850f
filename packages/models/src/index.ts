/**
 * Predict functions on real models (DialoGPT, BlenderBot, instruct models) for Dais apps.
 * @module @dais/models
 */
export * from "./BeamHypotheses.ts";
export * from "./blenderbot.ts";
export * from "./chatModel.ts";
export * from "./chatPredict.ts";
export * from "./contextWindow.ts";
export * from "./dialogpt.ts";
export * from "./exitWhenUnavailable.ts";
export * from "./GenerateContext.ts";
export * from "./Generation.ts";
export * from "./GenerationEngine.ts";
export * from "./GenerationOptions.ts";
export * from "./keepNewest.ts";
export * from "./loadModel.ts";
export * from "./LogitsRules.ts";
export * from "./ModelSource.ts";
export * from "./ModelUnavailableError.ts";
export * from "./PrefixCache.ts";
export * from "./terminalProgress.ts";
export * from "./remoteChat.ts";
