const fs = require('fs');
const path = require('path');

const dir = path.join(__dirname, '..', 'reports');
if (!fs.existsSync(dir)) fs.mkdirSync(dir); // start-up: not reported

function saveReport(name, content) {
  const file = path.join(dir, `${name}.txt`);
  if (fs.existsSync(file)) { // expect: blocking-call-in-handler
    throw new Error('exists');
  }
  fs.writeFileSync(file, content); // expect: blocking-call-in-handler
  return file;
}

module.exports = { saveReport };
