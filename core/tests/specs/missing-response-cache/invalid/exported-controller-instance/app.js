// From bailicangdu/node-elm: each controller module exports one instance of its class
// (`export default new Food()`, `module.exports = new City()`), and the routes name its
// methods (`router.get('/v2/menu', Food.getMenu)`). The handlers are the class's methods.
import express from 'express';
import mongoose from 'mongoose';
import shopping from './routes/shopping';
import cities from './routes/cities';

mongoose.connect(process.env.MONGO_URL);
const app = express();
app.use('/shopping', shopping);
app.use('/v1', cities);
app.listen(8001);
