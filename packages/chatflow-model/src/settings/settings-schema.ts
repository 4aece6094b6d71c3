/**
 * The schema of a chatflow's settings, as a typed constant: its limits read as literal types
 * (`SETTINGS_SCHEMA.properties.options.properties.idleCloseMinutes.maximum` is `10080`).
 *
 * GENERATED from plugin/schema/chatflow-settings.json by `npm run schema:types`: do not edit by hand.
 * Descriptions and titles are left out (they are prose, and the bundles carry this file).
 * A unit test fails when this file is older than the schema.
 */
export const SETTINGS_SCHEMA = {
	type: 'object',
	additionalProperties: false,
	required: [
		'inboxId',
		'display',
		'heading',
		'welcomeMessage',
		'assignment',
		'availability',
		'emailCapture',
		'displayBehaviour',
		'knowledgeBase',
		'options',
		'target',
	],
	properties: {
		inboxId: {
			type: 'integer',
			minimum: 0,
			default: 0,
		},
		display: {
			type: 'object',
			additionalProperties: false,
			required: [ 'accentColor' ],
			properties: {
				accentColor: {
					type: 'string',
					format: 'hex-color',
					pattern: '^#[0-9a-fA-F]{6}$',
					default: '#2563eb',
				},
			},
		},
		heading: {
			type: 'object',
			additionalProperties: false,
			required: [
				'mode',
				'userIds',
				'teamIds',
				'teamName',
				'imageId',
				'useAsAlias',
			],
			properties: {
				mode: {
					type: 'string',
					enum: [
						'users_and_teams',
						'contact_owner',
						'custom_branding',
					],
					default: 'users_and_teams',
				},
				userIds: {
					type: 'array',
					maxItems: 50,
					items: {
						type: 'integer',
						minimum: 1,
					},
					default: [],
				},
				teamIds: {
					type: 'array',
					maxItems: 50,
					items: {
						type: 'integer',
						minimum: 1,
					},
					default: [],
				},
				teamName: {
					type: 'string',
					maxLength: 100,
					default: '',
				},
				imageId: {
					type: 'integer',
					minimum: 0,
					default: 0,
				},
				useAsAlias: {
					type: 'boolean',
					default: false,
				},
			},
		},
		welcomeMessage: {
			$ref: '#/definitions/localizedText',
		},
		assignment: {
			type: 'object',
			additionalProperties: false,
			required: [ 'enabled', 'userIds', 'teamIds' ],
			properties: {
				enabled: {
					type: 'boolean',
					default: false,
				},
				userIds: {
					type: 'array',
					maxItems: 200,
					items: {
						type: 'integer',
						minimum: 1,
					},
					default: [],
				},
				teamIds: {
					type: 'array',
					maxItems: 100,
					items: {
						type: 'integer',
						minimum: 1,
					},
					default: [],
				},
			},
		},
		availability: {
			type: 'object',
			additionalProperties: false,
			required: [
				'mode',
				'timeZone',
				'hours',
				'showTypicalReplyTime',
				'typicalReplyTime',
				'whenAway',
				'awayMessage',
				'whenOffline',
				'whenAtCapacity',
				'waitMessage',
			],
			properties: {
				mode: {
					type: 'string',
					enum: [ 'users', 'office_hours', 'always' ],
					default: 'users',
				},
				timeZone: {
					type: 'string',
					maxLength: 64,
					default: 'UTC',
				},
				hours: {
					type: 'array',
					maxItems: 70,
					items: {
						$ref: '#/definitions/officeHoursRange',
					},
					default: [],
				},
				showTypicalReplyTime: {
					type: 'boolean',
					default: true,
				},
				typicalReplyTime: {
					type: 'string',
					enum: [ 'minutes', 'hour', 'hours', 'day' ],
					default: 'minutes',
				},
				whenAway: {
					type: 'string',
					enum: [ 'show_away_message', 'hide_launcher' ],
					default: 'show_away_message',
				},
				awayMessage: {
					$ref: '#/definitions/localizedText',
				},
				whenOffline: {
					type: 'string',
					enum: [
						'show_return_time',
						'show_away_message',
						'hide_launcher',
						'nothing',
					],
					default: 'show_return_time',
				},
				whenAtCapacity: {
					type: 'string',
					enum: [ 'show_wait_message', 'hide_launcher', 'nothing' ],
					default: 'show_wait_message',
				},
				waitMessage: {
					$ref: '#/definitions/localizedText',
				},
			},
		},
		emailCapture: {
			type: 'object',
			additionalProperties: false,
			required: [ 'enabled', 'when', 'message' ],
			properties: {
				enabled: {
					type: 'boolean',
					default: true,
				},
				when: {
					type: 'string',
					enum: [
						'before_chat',
						'after_first_message',
						'when_offline',
					],
					default: 'after_first_message',
				},
				message: {
					$ref: '#/definitions/localizedText',
				},
			},
		},
		displayBehaviour: {
			type: 'object',
			additionalProperties: false,
			required: [ 'desktop', 'mobile', 'triggers' ],
			properties: {
				desktop: {
					type: 'string',
					enum: [ 'prompt', 'launcher', 'prompt_on_trigger' ],
					default: 'prompt',
				},
				mobile: {
					type: 'string',
					enum: [ 'prompt', 'launcher' ],
					default: 'launcher',
				},
				triggers: {
					type: 'object',
					additionalProperties: false,
					required: [
						'exitIntent',
						'timeOnPage',
						'timeOnPageSeconds',
						'scroll',
						'scrollPercent',
					],
					properties: {
						exitIntent: {
							type: 'boolean',
							default: false,
						},
						timeOnPage: {
							type: 'boolean',
							default: false,
						},
						timeOnPageSeconds: {
							type: 'integer',
							minimum: 0,
							maximum: 3600,
							default: 5,
						},
						scroll: {
							type: 'boolean',
							default: false,
						},
						scrollPercent: {
							type: 'integer',
							minimum: 0,
							maximum: 100,
							default: 50,
						},
					},
				},
			},
		},
		knowledgeBase: {
			type: 'object',
			additionalProperties: false,
			required: [ 'enabled', 'sourceType', 'categoryId', 'postType' ],
			properties: {
				enabled: {
					type: 'boolean',
					default: false,
				},
				sourceType: {
					type: 'string',
					enum: [ 'category', 'post_type' ],
					default: 'post_type',
				},
				categoryId: {
					type: 'integer',
					minimum: 0,
					default: 0,
				},
				postType: {
					type: 'string',
					pattern: '^[a-z0-9_-]{0,20}$',
					default: 'post',
				},
			},
		},
		options: {
			type: 'object',
			additionalProperties: false,
			required: [
				'language',
				'ticket',
				'cookieConsent',
				'dataConsent',
				'communicationsConsent',
				'marketingContacts',
				'survey',
				'idleCloseMinutes',
				'attachments',
			],
			properties: {
				language: {
					type: 'string',
					enum: [ 'page', 'en_US', 'da_DK', 'nl_NL' ],
					default: 'page',
				},
				ticket: {
					type: 'object',
					additionalProperties: false,
					required: [ 'pipeline', 'status', 'priority', 'category' ],
					properties: {
						pipeline: {
							type: 'string',
							maxLength: 100,
							default: 'support',
						},
						status: {
							type: 'string',
							maxLength: 100,
							default: 'new',
						},
						priority: {
							type: 'string',
							enum: [ 'low', 'medium', 'high', 'urgent' ],
							default: 'medium',
						},
						category: {
							type: 'string',
							maxLength: 100,
							default: '',
						},
					},
				},
				cookieConsent: {
					type: 'object',
					additionalProperties: false,
					required: [ 'enabled', 'when', 'text' ],
					properties: {
						enabled: {
							type: 'boolean',
							default: true,
						},
						when: {
							type: 'string',
							enum: [ 'before_chat', 'exit_intent' ],
							default: 'before_chat',
						},
						text: {
							$ref: '#/definitions/localizedText',
						},
					},
				},
				dataConsent: {
					type: 'object',
					additionalProperties: false,
					required: [ 'enabled', 'mode', 'text', 'privacyPolicyUrl' ],
					properties: {
						enabled: {
							type: 'boolean',
							default: true,
						},
						mode: {
							type: 'string',
							enum: [ 'explicit', 'legitimate_interest' ],
							default: 'explicit',
						},
						text: {
							$ref: '#/definitions/localizedText',
						},
						privacyPolicyUrl: {
							type: 'string',
							maxLength: 2000,
							default: '',
						},
					},
				},
				communicationsConsent: {
					type: 'object',
					additionalProperties: false,
					required: [ 'enabled', 'subscriptionType', 'label' ],
					properties: {
						enabled: {
							type: 'boolean',
							default: false,
						},
						subscriptionType: {
							type: 'string',
							enum: [
								'one_to_one',
								'marketing',
								'customer_service',
							],
							default: 'one_to_one',
						},
						label: {
							$ref: '#/definitions/localizedText',
						},
					},
				},
				marketingContacts: {
					type: 'boolean',
					default: false,
				},
				survey: {
					type: 'object',
					additionalProperties: false,
					required: [ 'enabled', 'question' ],
					properties: {
						enabled: {
							type: 'boolean',
							default: false,
						},
						question: {
							$ref: '#/definitions/localizedText',
						},
					},
				},
				idleCloseMinutes: {
					type: 'integer',
					minimum: 0,
					maximum: 10080,
					default: 0,
				},
				attachments: {
					type: 'object',
					additionalProperties: false,
					required: [ 'enabled', 'maxSizeMb' ],
					properties: {
						enabled: {
							type: 'boolean',
							default: true,
						},
						maxSizeMb: {
							type: 'integer',
							minimum: 1,
							maximum: 10,
							default: 5,
						},
					},
				},
			},
		},
		target: {
			type: 'object',
			additionalProperties: false,
			required: [ 'allPages', 'include', 'exclude' ],
			properties: {
				allPages: {
					type: 'boolean',
					default: false,
				},
				include: {
					type: 'array',
					maxItems: 25,
					items: {
						$ref: '#/definitions/targetGroup',
					},
					default: [],
				},
				exclude: {
					type: 'array',
					maxItems: 50,
					items: {
						$ref: '#/definitions/targetRule',
					},
					default: [],
				},
			},
		},
	},
	definitions: {
		targetGroup: {
			type: 'object',
			additionalProperties: false,
			required: [ 'rules' ],
			properties: {
				rules: {
					type: 'array',
					maxItems: 25,
					items: {
						$ref: '#/definitions/targetRule',
					},
				},
			},
		},
		targetRule: {
			type: 'object',
			additionalProperties: false,
			required: [ 'field', 'operator', 'name', 'value' ],
			properties: {
				field: {
					type: 'string',
					enum: [
						'url',
						'query',
						'contact',
						'user',
						'role',
						'device',
						'referrer',
						'language',
					],
				},
				operator: {
					type: 'string',
					enum: [
						'is',
						'is_not',
						'contains',
						'not_contains',
						'starts_with',
						'ends_with',
						'matches',
						'equals',
						'present',
					],
				},
				name: {
					type: 'string',
					maxLength: 200,
				},
				value: {
					type: 'string',
					maxLength: 2000,
				},
			},
		},
		localizedText: {
			type: 'object',
			additionalProperties: false,
			properties: {
				en_US: {
					type: 'string',
					maxLength: 1000,
				},
				da_DK: {
					type: 'string',
					maxLength: 1000,
				},
				nl_NL: {
					type: 'string',
					maxLength: 1000,
				},
			},
			default: {},
		},
		officeHoursRange: {
			type: 'object',
			additionalProperties: false,
			required: [ 'day', 'start', 'end' ],
			properties: {
				day: {
					type: 'integer',
					minimum: 0,
					maximum: 6,
				},
				start: {
					type: 'string',
					maxLength: 5,
				},
				end: {
					type: 'string',
					maxLength: 5,
				},
			},
		},
	},
} as const;
