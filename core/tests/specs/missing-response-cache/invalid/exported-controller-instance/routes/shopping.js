import express from 'express';
import Food from '../controller/food';

const router = express.Router();

router.get('/v2/menu', Food.getMenu); // expect: missing-response-cache
router.post('/addfood', Food.addFood);

export default router;
