export default class BaseComponent {
  constructor() {
    this.idList = ['food_id', 'menu_id'];
  }
}
