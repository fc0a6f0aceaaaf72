const express = require('express');
const app = express();
app.use(express.json());

function cpuIntensiveTask(data) {
  // Complex computation
  let result = 0;
  for (let i = 0; i < data.iterations; i++) { // expect: cpu-heavy-handler
    result += Math.sqrt(i) * Math.sin(i);
  }
  return result;
}

// BEFORE (blocks event loop)
app.post('/api/process', async (req, res) => {
  const result = cpuIntensiveTask(req.body); // Blocks for 500ms
  res.json({ result });
});
