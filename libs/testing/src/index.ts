export * from './wait-for';
export * from './fresh-database';
export * from './kafka-fixtures';
export * from './mail-sink/mail-sink';
export * from './pg-scratch-server';
export * from './pg-replica';
