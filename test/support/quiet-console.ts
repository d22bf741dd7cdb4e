/**
 * Synth prints its validation report (errors and warnings, with a stack) for the CLI user. Tests
 * read the same findings from the assembly or the thrown error and assert them, so the printed
 * copy is dropped here; any other console.error still shows.
 */
const print = console.error.bind(console);
console.error = (...args: unknown[]) => {
  if (args.some((a) => typeof a === 'string' && a.includes('A copy of this report can be found in'))) return;
  print(...args);
};
