// Runs the project's own entry points as child processes, on the Node that runs the tests (Node 24 under npm).
import { spawn, type ChildProcess } from 'node:child_process';

export const tsxArgs = (script: string, ...args: string[]) => ['--import', 'tsx', script, ...args];

export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, tsxArgs(script, ...args), { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts a long-running script and resolves once a line of its output matches `ready`. */
export function startScript(script: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp) {
  const child: ChildProcess = spawn(process.execPath, tsxArgs(script, ...args), { env: { ...process.env, ...env } });
  let output = '';
  const match = new Promise<RegExpMatchArray>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const found = output.match(ready);
      if (found) resolve(found);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready:\n${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, match, exited, output: () => output };
}
