import {
  familyCodec,
  organisationEventData,
  organisationFamily,
  ROLES,
  type Role,
} from '@waypoint/contracts';
import { handleCommand } from '@waypoint/decider';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IdentificationDeps } from '../deps.js';
import { commandContext, result, runIdempotently } from '@waypoint/service-kit';
import { organisationDecider } from '../organisation/domain/organisation-decider.js';
import { streams } from '../streams.js';

const codec = familyCodec(organisationFamily);
const organisation = organisationEventData.OrganisationRegistered;

/** The directory of organisations: referral targets. Organisations are not persons: no personal data here. */
export function directoryRoutes(deps: IdentificationDeps): FastifyPluginCallbackZod {
  return (app, _options, done) => {
    app.post(
      '/organisations',
      {
        schema: {
          summary: 'Register an organisation in the directory',
          tags: ['organisations'],
          body: organisation.omit({ orgId: true }),
          response: { 201: z.object({ orgId: z.uuid() }) },
        },
        config: { access: { roles: ['admin'] satisfies Role[] } },
      },
      async (request, reply) =>
        runIdempotently(request, reply, async () => {
          const orgId = deps.newId();
          const registered = await handleCommand({
            store: deps.store,
            stream: streams.organisation(orgId),
            decider: organisationDecider,
            codec,
            command: { type: 'RegisterOrganisation', data: { orgId, ...request.body } },
            context: commandContext(request, deps.now()),
            newEventId: deps.newId,
          });
          return result(201, { orgId }, registered.revision ?? 0);
        }),
    );

    app.get(
      '/organisations',
      {
        schema: {
          summary: 'The organisations directory',
          tags: ['organisations'],
          response: { 200: z.object({ organisations: z.array(organisation) }) },
        },
        config: { access: { roles: ROLES } },
      },
      async () => {
        const directory = await deps.directory.current();
        return {
          organisations: [...directory.values()].sort((a, b) => a.name.localeCompare(b.name)),
        };
      },
    );
    done();
  };
}
