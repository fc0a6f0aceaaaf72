const express = require('express');
const { MongoClient } = require('mongodb');

const client = new MongoClient(process.env.MONGO_URL);
const db = client.db('shop');
const app = express();

app.get('/invoices', async (req, res) => {
  const invoices = await db.collection('invoices').find({ paid: false }).toArray();
  const enriched = await Promise.all(
    invoices.map(async (invoice) => ({
      ...invoice,
      customer: await db.collection('customers').findOne({ _id: invoice.customerId }), // expect: n-plus-one-query
    })),
  );
  res.json(enriched);
});
