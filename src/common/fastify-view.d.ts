// Brings @fastify/view's `reply.view()` typing into the whole project.
import '@fastify/view';
