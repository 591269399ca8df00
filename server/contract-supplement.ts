// What zulip.yaml (Zulip Server 10.2, feature level 372) does not describe but this project's
// client uses, written from Zulip's own documentation and merged into it at load time:
// - POST /jwt/fetch_api_key (feature level 160), from docs/jwt-fetch-api-key.txt and the error
//   table of API-NOTES.md;
// - GET /users's user_ids parameter (feature level 384), from docs/get-users.txt.
// For a server configured above 10.2's level 372, applyLaterChanges also writes in the documented
// changes after 10.2 that this server models (API-NOTES.md "Changes after Server 10.2" and Zulip's
// API changelog): is_imported_stub (433) and is_deleted (490) on user objects, the presences map of
// presence events (419, simplified_presence_events), and GET /users/{id}/presence's modern form
// (487) with the legacy one back beside it and server_timestamp (497).

const codedError = {
  description: 'Error.',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/CodedError' } } },
};

/** The docs' `user` object: no profile_data, avatar_url always set. */
const jwtUser = {
  allOf: [
    { $ref: '#/components/schemas/UserBase' },
    {
      additionalProperties: false,
      required: [
        'user_id', 'delivery_email', 'email', 'full_name', 'date_joined', 'is_active', 'is_owner',
        'is_admin', 'is_guest', 'is_bot', 'role', 'timezone', 'avatar_url', 'avatar_version',
      ],
      properties: {
        user_id: {},
        delivery_email: {},
        email: {},
        full_name: {},
        date_joined: {},
        is_active: {},
        is_owner: {},
        is_admin: {},
        is_guest: {},
        is_bot: {},
        bot_type: {},
        bot_owner_id: {},
        role: {},
        timezone: {},
        avatar_url: { type: 'string' },
        avatar_version: {},
      },
    },
  ],
};

export const CONTRACT_SUPPLEMENT = {
  paths: {
    '/jwt/fetch_api_key': {
      post: {
        operationId: 'jwt-fetch-api-key',
        summary: 'Fetch an API key (JWT)',
        security: [],
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  token: { type: 'string' },
                  include_profile: { type: 'boolean', default: false },
                },
                required: ['token'],
              },
              encoding: { include_profile: { contentType: 'application/json' } },
            },
          },
        },
        responses: {
          '200': {
            description: 'Success.',
            content: {
              'application/json': {
                schema: {
                  allOf: [
                    { $ref: '#/components/schemas/JsonSuccessBase' },
                    {
                      additionalProperties: false,
                      required: ['api_key', 'email'],
                      properties: {
                        result: {},
                        msg: {},
                        ignored_parameters_unsupported: {},
                        api_key: { type: 'string' },
                        email: { type: 'string' },
                        user: jwtUser,
                      },
                    },
                  ],
                },
              },
            },
          },
          '400': codedError,
          '401': codedError,
          '404': codedError,
        },
      },
    },
    '/users': {
      get: {
        parameters: [
          {
            name: 'user_ids',
            in: 'query',
            content: { 'application/json': { schema: { type: 'array', items: { type: 'integer' } } } },
          },
        ],
      },
    },
  },
} as const;

type Json = Record<string, unknown>;

const USER_BASE_REF = '#/components/schemas/UserBase';

/** Fields of user objects added after 10.2. */
const LATER_USER_FIELDS: Record<string, Json> = {
  is_imported_stub: { type: 'boolean', description: 'New in Zulip 11.0 (feature level 433).' },
  is_deleted: { type: 'boolean', description: 'Present only when true. New in Zulip 12.0 (feature level 490).' },
};

const legacySinglePresence = {
  type: 'object',
  additionalProperties: false,
  properties: { timestamp: { type: 'integer' }, status: { type: 'string' } },
};

/** Every `allOf: [UserBase, {additionalProperties: false, properties}]` gets the later fields. */
function extendUserObjects(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(extendUserObjects);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const object = node as Json;
  const allOf = object.allOf as Json[] | undefined;
  if (Array.isArray(allOf) && allOf.some((part) => part.$ref === USER_BASE_REF)) {
    for (const part of allOf) {
      if (part.additionalProperties === false && part.properties) {
        for (const name of Object.keys(LATER_USER_FIELDS)) (part.properties as Json)[name] ??= {};
      }
    }
  }
  Object.values(object).forEach(extendUserObjects);
}

function presenceEventSchema(doc: Json): Json {
  const events = (doc.paths as Record<string, Record<string, Json>>)['/events'].get;
  const schema = ((events.responses as Json)['200'] as { content: Record<string, { schema: { allOf: Json[] } }> }).content['application/json'].schema;
  const items = (schema.allOf.find((part) => (part.properties as Json | undefined)?.events) as { properties: { events: { items: { oneOf: Json[] } } } })
    .properties.events.items.oneOf;
  const presence = items.find((event) => {
    const type = (event.properties as Json | undefined)?.type as { allOf?: Json[] } | undefined;
    return type?.allOf?.some((part) => Array.isArray(part.enum) && (part.enum as string[]).includes('presence'));
  });
  if (!presence) throw new Error('zulip.yaml has no presence event');
  return presence;
}

/** Writes the documented later changes into a parsed zulip.yaml (10.2). */
export function applyLaterChanges(doc: Json): void {
  const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
  Object.assign(schemas.UserBase.properties as Json, LATER_USER_FIELDS);
  extendUserObjects(doc);
  // Feature level 419: simplified presence events carry only the modern map.
  const presence = presenceEventSchema(doc);
  (presence.properties as Json).presences = { type: 'object', additionalProperties: { $ref: '#/components/schemas/ModernPresenceFormat' } };
  delete presence.required;
  // Feature levels 487 and 497: GET /users/{user_id_or_email}/presence.
  const single = (doc.paths as Record<string, Record<string, Json>>)['/users/{user_id_or_email}/presence'].get;
  const body = ((single.responses as Json)['200'] as { content: Record<string, { schema: { allOf: Json[] } }> }).content['application/json'].schema.allOf[1];
  const properties = body.properties as Json;
  properties.presence = {
    type: 'object',
    additionalProperties: false,
    properties: {
      active_timestamp: { type: 'integer' },
      idle_timestamp: { type: 'integer' },
      website: legacySinglePresence,
      aggregated: legacySinglePresence,
    },
  };
  properties.server_timestamp = { type: 'number' };
  // GET /users/me lists its fields itself rather than through UserBase.
  const own = (doc.paths as Record<string, Record<string, Json>>)['/users/me'].get;
  const ownBody = ((own.responses as Json)['200'] as { content: Record<string, { schema: { allOf: Json[] } }> }).content['application/json'].schema.allOf[1];
  Object.assign(ownBody.properties as Json, LATER_USER_FIELDS);
}
