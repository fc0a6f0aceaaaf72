// The seed's 5.2 AFTER: CPU work in a worker thread; synchronous work there blocks only the worker.
const { parentPort, workerData } = require('worker_threads');
const crypto = require('crypto');

function cpuIntensiveTask(data) {
  return crypto.pbkdf2Sync(data.password, data.salt, data.iterations, 64, 'sha512').toString('hex');
}

parentPort.postMessage(cpuIntensiveTask(workerData));
