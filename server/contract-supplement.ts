// What zulip.yaml (Zulip Server 10.2, feature level 372) does not describe but this project's
// client uses, written from Zulip's own documentation and merged into it at load time:
// - POST /jwt/fetch_api_key (feature level 160), from docs/jwt-fetch-api-key.txt and the error
//   table of API-NOTES.md;
// - GET /users's user_ids parameter (feature level 384), from docs/get-users.txt.

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
