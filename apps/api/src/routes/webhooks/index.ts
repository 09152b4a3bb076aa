import type { FastifyPluginAsync } from 'fastify';
import { genericWebhookRoutes } from './generic-webhooks.ts';

/**
 * Every webhook route, each authenticated: generic deployments/incidents (bearer webhook token)
 * and GitHub (X-Hub-Signature-256). Registered by app.ts in one line.
 */
export const webhookRoutes: FastifyPluginAsync = async (app) => {
  await app.register(genericWebhookRoutes);
};
