// A loop that checks each awaited row and fails the request when one is missing or short
// (`throw`, `return next(err)`, `return res.status(409)…`) still queries once per item on
// its normal path: batching (one findAll with `where: { itemId: ids }`) keeps the checks.
// Seen in firze20/E-Commerce (a checkout that locks and decrements stock per cart line).
import express from "express";
import { Stock, OrderLine, Product } from "./models";

const app = express();

app.post("/api/checkout", async (req, res, next) => {
  for (const line of req.body.lines) {
    const stock = await Stock.findOne({ where: { itemId: line.itemId } }); // expect: n-plus-one-query
    if (!stock || stock.quantity < line.quantity) {
      throw new Error(`not enough stock for ${line.itemId}`);
    }
    await OrderLine.create({ itemId: line.itemId, quantity: line.quantity }); // expect: n-plus-one-query
  }
  res.status(201).end();
});

app.post("/api/wishlist", async (req, res, next) => {
  for (const id of req.body.productIds) {
    const product = await Product.findByPk(id); // expect: n-plus-one-query
    if (!product) {
      return next(new Error(`no product ${id}`));
    }
  }
  res.status(204).end();
});

app.post("/api/reserve", async (req, res) => {
  for (const id of req.body.productIds) {
    const product = await Product.findByPk(id); // expect: n-plus-one-query
    if (!product) return res.status(404).json({ message: `no product ${id}` });
  }
  res.status(204).end();
});
