// Reference measurement for `validationlab-benchmarks llama-quick`: prompt evaluation with node-llama-cpp on the same
// prebuilt llama.cpp libraries (@node-llama-cpp/linux-x64, same version as the runner's), same model, threads and
// batch size. Prints one JSON line: {"tokens": N, "seconds": [..]} — one wall time per repetition.
// Usage: node prompt-eval.mjs MODEL THREADS BATCH PROMPT_FILE REPETITIONS
import { readFileSync } from "node:fs";
import { getLlama } from "node-llama-cpp";

const [model, threads, batch, promptFile, reps] = process.argv.slice(2);
const llama = await getLlama({ gpu: false, build: "never", logLevel: "error" });
const loaded = await llama.loadModel({ modelPath: model, gpuLayers: 0 });
const context = await loaded.createContext({
    contextSize: 2048, batchSize: Number(batch), threads: Number(threads), sequences: 1, flashAttention: false,
});
const sequence = context.getSequence();
const tokens = loaded.tokenize(readFileSync(promptFile, "utf8"), true);
const seconds = [];
for (let i = 0; i < Number(reps); i++) {
    await sequence.clearHistory();
    const start = process.hrtime.bigint();
    await sequence.evaluateWithoutGeneratingNewTokens(tokens);
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
}
console.log(JSON.stringify({ tokens: tokens.length, seconds, version: llama.llamaCppRelease }));
await context.dispose();
await loaded.dispose();
await llama.dispose();
