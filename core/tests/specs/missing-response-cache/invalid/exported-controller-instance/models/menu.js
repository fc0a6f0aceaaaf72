import mongoose from 'mongoose';

const menuSchema = new mongoose.Schema({ name: String, restaurant_id: Number });
export default mongoose.model('Menu', menuSchema);
