// From the RealWorld APIs (gothinkster/node-express-realworld-example-app with express-jwt's
// `req.auth`, lujakob/nestjs-realworld-example-app with a `@User()` parameter decorator):
// the signed-in user's own data is not a shared answer to cache.
import { Router, Request, Response, NextFunction } from 'express';
import { Controller, Get, Query } from '@nestjs/common';
import { PrismaClient } from '@prisma/client';
import auth from './auth';
import { User } from './user.decorator';
import { ArticleService } from './article.service';

const prisma = new PrismaClient();
const router = Router();

router.get('/user', auth.required, async (req: Request, res: Response, next: NextFunction) => {
  try {
    const user = await prisma.user.findUnique({ where: { id: req.auth?.user?.id } });
    res.json({ user });
  } catch (error) {
    next(error);
  }
});

@Controller('articles')
export class ArticleController {
  constructor(private readonly articleService: ArticleService) {}

  @Get('feed')
  async getFeed(@User('id') userId: number, @Query() query) {
    return await this.articleService.findFeed(userId, query);
  }
}

export default router;
