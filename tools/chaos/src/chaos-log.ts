/** One line of the chaos run's progress, stamped with the time of day. */
export const log = (line: string) => console.log(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`);
