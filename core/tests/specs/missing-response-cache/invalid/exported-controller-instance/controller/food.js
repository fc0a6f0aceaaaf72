import MenuModel from '../models/menu';
import BaseComponent from './base';

class Food extends BaseComponent {
  constructor() {
    super();
    this.addFood = this.addFood.bind(this);
  }

  async getMenu(req, res) {
    const menu = await MenuModel.find({ restaurant_id: Number(req.query.restaurant_id) }, '-_id');
    res.send(menu);
  }

  async addFood(req, res) {
    await MenuModel.create({ name: req.body.name, restaurant_id: req.body.restaurant_id });
    res.send({ status: 1 });
  }
}

export default new Food();
