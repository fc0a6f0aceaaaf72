// Generated inputs for the growth table of scripts/bench.sh. Deterministic; writes into DIR.
//
//   node tests/bench/generate.mjs express N DIR   an Express project of N route files (one route
//                                                 each, about 60 lines) mounted by src/app.js
//   node tests/bench/generate.mjs routes N DIR    one file with N routes on one app
//   node tests/bench/generate.mjs elseif N DIR    one handler whose body is an N-branch `else if` chain
//
// Prints the number of files and lines written.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [kind, nText, dir] = process.argv.slice(2);
const n = Number(nText);
if (!["express", "routes", "elseif"].includes(kind) || !Number.isInteger(n) || n < 1 || !dir) {
  console.error("usage: node tests/bench/generate.mjs express|routes|elseif N DIR");
  process.exit(2);
}
let files = 0;
let lines = 0;
function write(path, text) {
  mkdirSync(join(dir, path, ".."), { recursive: true });
  writeFileSync(join(dir, path), text);
  files += 1;
  lines += text.split("\n").length - 1;
}

const models = `const { Sequelize, DataTypes } = require('sequelize');
const sequelize = new Sequelize(process.env.DATABASE_URL);
const User = sequelize.define('User', { name: DataTypes.STRING, email: DataTypes.STRING });
const Order = sequelize.define('Order', { total: DataTypes.INTEGER, userId: DataTypes.INTEGER });
const Item = sequelize.define('Item', { price: DataTypes.INTEGER, orderId: DataTypes.INTEGER });
User.hasMany(Order, { foreignKey: 'userId' });
Order.hasMany(Item, { foreignKey: 'orderId' });
module.exports = { sequelize, User, Order, Item };
`;

// One route module: a handler with an N+1 loop, a linear search in a loop, a sort, a clean
// query, and a helper of its own.
function routeModule(i) {
  return `const express = require('express');
const { User, Order, Item } = require('../models');

const router = express.Router();

function totalOf${i}(items) {
  let total = 0;
  for (const item of items) {
    total += item.price;
  }
  return total;
}

function rank${i}(orders) {
  return orders.slice().sort((a, b) => b.total - a.total);
}

async function loadUser${i}(id) {
  const user = await User.findByPk(id);
  if (!user) {
    return null;
  }
  return user;
}

router.get('/r${i}/:id', async (req, res) => {
  const user = await loadUser${i}(req.params.id);
  if (!user) {
    return res.status(404).json({ error: 'not found' });
  }
  const orders = await Order.findAll({ where: { userId: user.id } });
  const result = [];
  for (const order of orders) {
    const items = await Item.findAll({ where: { orderId: order.id } });
    result.push({ id: order.id, total: totalOf${i}(items) });
  }
  const users = await User.findAll({ limit: 50 });
  const named = result.map((r) => {
    const owner = users.find((u) => u.id === r.id);
    return { ...r, owner: owner ? owner.name : null };
  });
  res.json({ user: user.name, orders: rank${i}(named) });
});

router.post('/r${i}', async (req, res) => {
  const { name, email } = req.body;
  if (!name || !email) {
    return res.status(400).json({ error: 'name and email are required' });
  }
  const user = await User.create({ name, email });
  res.status(201).json(user);
});

module.exports = router;
`;
}

if (kind === "express") {
  write("package.json", JSON.stringify({ name: "generated", dependencies: { express: "^4", sequelize: "^6" } }) + "\n");
  write("src/models.js", models);
  const mounts = [];
  for (let i = 0; i < n; i++) {
    write(`src/routes/r${i}.js`, routeModule(i));
    mounts.push(`app.use('/api', require('./routes/r${i}'));`);
  }
  write(
    "src/app.js",
    `const express = require('express');\nconst app = express();\napp.use(express.json());\n${mounts.join("\n")}\napp.listen(3000);\n`,
  );
} else if (kind === "routes") {
  const out = [`const express = require('express');`, `const { User, Order } = require('./models');`, `const app = express();`];
  for (let i = 0; i < n; i++) {
    out.push(
      `app.get('/r${i}/:id', async (req, res) => {`,
      `  const user = await User.findByPk(req.params.id);`,
      `  const orders = await Order.findAll({ where: { userId: user.id } });`,
      `  res.json({ user, orders });`,
      `});`,
    );
  }
  out.push(`app.listen(3000);`, ``);
  write("package.json", JSON.stringify({ name: "generated", dependencies: { express: "^4", sequelize: "^6" } }) + "\n");
  write("models.js", models);
  write("app.js", out.join("\n"));
} else {
  const out = [
    `const express = require('express');`,
    `const app = express();`,
    `app.get('/kind/:k', (req, res) => {`,
    `  const k = Number(req.params.k);`,
    `  let label;`,
    `  if (k === 0) {`,
    `    label = 'k0';`,
  ];
  for (let i = 1; i < n; i++) {
    out.push(`  } else if (k === ${i}) {`, `    label = 'k${i}';`);
  }
  out.push(`  } else {`, `    label = 'other';`, `  }`, `  res.json({ label });`, `});`, `app.listen(3000);`, ``);
  write("package.json", JSON.stringify({ name: "generated", dependencies: { express: "^4" } }) + "\n");
  write("app.js", out.join("\n"));
}
console.log(`${files} files, ${lines} lines`);
