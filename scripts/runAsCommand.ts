// How a script or benchmark file runs as a command: its main() runs only when Node was started on
// that file (so tests can import its functions), and the process ends with 0 when main() finishes
// or prints the error and ends with 1: open sockets or timers never keep a finished command alive.
export function runAsCommand(fileModule: NodeModule, main: () => Promise<void>): void {
  if (require.main !== fileModule) return;
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
