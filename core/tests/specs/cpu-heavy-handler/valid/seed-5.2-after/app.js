const express = require('express');
const { Worker } = require('worker_threads');

const app = express();

// Main application
function runWorker(workerData) {
  return new Promise((resolve, reject) => {
    const worker = new Worker('./cpu-intensive-worker.js', { workerData });

    worker.on('message', resolve);
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`Worker stopped with exit code ${code}`));
      }
    });
  });
}

// AFTER (offloaded to worker)
app.post('/api/process', async (req, res) => {
  const result = await runWorker(req.body); // Non-blocking
  res.json({ result });
});
