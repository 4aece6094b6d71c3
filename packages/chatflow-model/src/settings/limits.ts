/**
 * Limits of a chatflow's settings, read from the schema (never copied): for
 * the admin's hints and the chat service's checks of what WordPress sends.
 */
import { SETTINGS_SCHEMA } from './settings-schema';

const { properties, definitions } = SETTINGS_SCHEMA;
const options = properties.options.properties;
const availability = properties.availability.properties;

export const SETTINGS_LIMITS = {
	/** The longest text of one language, in characters. */
	textLength: definitions.localizedText.properties.en_US.maxLength,
	/** The longest custom-branding team name, in characters. */
	teamNameLength: properties.heading.properties.teamName.maxLength,
	/** The longest ticket property, in characters. */
	ticketPropertyLength: options.ticket.properties.pipeline.maxLength,
	/** The longest time on page before a trigger fires, in seconds. */
	timeOnPageSeconds:
		properties.displayBehaviour.properties.triggers.properties
			.timeOnPageSeconds.maximum,
	/** The longest idle time before a conversation closes, in minutes (a week). */
	idleCloseMinutes: options.idleCloseMinutes.maximum,
	/** The largest attachment a chatflow may allow, in megabytes. */
	attachmentMb: options.attachments.properties.maxSizeMb.maximum,
	/** The most office-hour ranges. */
	officeHoursRanges: availability.hours.maxItems,
	/** The most users and teams chats are assigned to. */
	assignedUsers: properties.assignment.properties.userIds.maxItems,
	assignedTeams: properties.assignment.properties.teamIds.maxItems,
} as const;

/** The choices of the settings that are one of a list, as the schema gives them. */
export const SETTINGS_CHOICES = {
	typicalReplyTime: availability.typicalReplyTime.enum,
	whenAway: availability.whenAway.enum,
	whenOffline: availability.whenOffline.enum,
	whenAtCapacity: availability.whenAtCapacity.enum,
	emailCaptureWhen: properties.emailCapture.properties.when.enum,
	ticketPriority: options.ticket.properties.priority.enum,
	subscriptionType:
		options.communicationsConsent.properties.subscriptionType.enum,
	locales: Object.keys( definitions.localizedText.properties ),
} as const;
