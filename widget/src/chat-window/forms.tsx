/**
 * The chat window's forms: the composer, e-mail capture, the offline form and
 * the satisfaction survey. Fields say what is wrong inline
 * (`aria-invalid`, `aria-describedby`).
 */
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

import type { ChatWindowTexts, WidgetTexts } from '../page-settings';
import { CommunicationsCheckbox } from './consent';
import { fill, isEmailAddress } from './text';

/** Highest rating of the survey. */
export const MAX_RATING = 5;

interface FieldErrorProps {
	id: string;
	message: string;
}

function FieldError( { id, message }: FieldErrorProps ) {
	return message ? (
		<p id={ id } className="field-error">
			{ message }
		</p>
	) : null;
}

interface ComposerProps {
	texts: WidgetTexts;
	/** Sends; false: not sent (e.g. consent first), the draft stays. */
	onSend: ( body: string ) => boolean | void;
	onInput: () => void;
	/** Extra buttons before the send button (e.g. attach a file). */
	actions?: ComponentChildren;
}

/**
 * The message box: Enter sends, Shift+Enter starts a new line. It grows with
 * what is typed up to its CSS `max-height`, then scrolls.
 *
 * @param props Props.
 */
export function Composer( props: ComposerProps ) {
	const { texts, onSend, onInput, actions } = props;
	const [ draft, setDraft ] = useState( '' );
	const box = useRef< HTMLTextAreaElement >( null );
	useLayoutEffect( () => {
		const field = box.current;
		if ( field ) {
			// Measured at its natural height first, so it also shrinks again.
			field.style.height = 'auto';
			field.style.height = `${
				field.scrollHeight + field.offsetHeight - field.clientHeight
			}px`;
		}
	}, [ draft ] );
	const submit = ( event: Event ) => {
		event.preventDefault();
		if ( draft.trim() && onSend( draft ) !== false ) {
			setDraft( '' );
		}
	};
	return (
		<form className="composer" onSubmit={ submit }>
			<label className="visually-hidden" htmlFor="chatflows-message">
				{ texts.message }
			</label>
			<textarea
				id="chatflows-message"
				ref={ box }
				data-autofocus
				rows={ 1 }
				value={ draft }
				onInput={ ( event ) => {
					setDraft( ( event.target as HTMLTextAreaElement ).value );
					onInput();
				} }
				onKeyDown={ ( event ) => {
					if (
						event.key === 'Enter' &&
						! event.shiftKey &&
						! event.isComposing
					) {
						submit( event );
					}
				} }
			/>
			{ actions }
			<button type="submit" className="send">
				{ texts.send }
			</button>
		</form>
	);
}

interface EmailFormProps {
	texts: ChatWindowTexts;
	/** The chatflow's request, shown above the field. */
	intro: string;
	/**
	 * Saves the address, with whether the communications checkbox is ticked.
	 * true: saved; false: refused as invalid; null: not sent (e.g. consent first).
	 */
	onSave: (
		email: string,
		communications: boolean
	) => Promise< boolean | null >;
	autofocus?: boolean;
	/** The communications checkbox's label; absent: no checkbox. */
	communications?: string;
	/** Offers to go on without an address (after a conversation closed). */
	onSkip?: () => void;
}

/**
 * A button that goes on to the next step without answering.
 *
 * @param props         Props.
 * @param props.label   Its text.
 * @param props.onClick What it does.
 */
function SkipButton( props: { label: string; onClick: () => void } ) {
	return (
		<button type="button" className="link-button" onClick={ props.onClick }>
			{ props.label }
		</button>
	);
}

/**
 * Asks for the visitor's e-mail address and checks it before sending.
 *
 * @param props Props.
 */
export function EmailForm( props: EmailFormProps ) {
	const { texts, intro, onSave, autofocus, communications, onSkip } = props;
	const [ email, setEmail ] = useState( '' );
	const [ error, setError ] = useState( '' );
	const [ busy, setBusy ] = useState( false );
	const [ ticked, setTicked ] = useState( false );
	const submit = async ( event: Event ) => {
		event.preventDefault();
		if ( ! isEmailAddress( email ) ) {
			setError( texts.emailInvalid );
			return;
		}
		setBusy( true );
		const saved = await onSave( email.trim(), ticked );
		setBusy( false );
		setError( saved === false ? texts.emailInvalid : '' );
	};
	return (
		<form className="email-form" onSubmit={ submit } noValidate>
			{ intro && (
				<p className="intro" id="chatflows-email-intro">
					{ intro }
				</p>
			) }
			<label htmlFor="chatflows-email">{ texts.emailLabel }</label>
			<div className="row">
				<input
					id="chatflows-email"
					type="email"
					autoComplete="email"
					data-autofocus={ autofocus ? true : undefined }
					value={ email }
					aria-invalid={ error ? 'true' : 'false' }
					aria-describedby={
						error ? 'chatflows-email-error' : undefined
					}
					onInput={ ( event ) => {
						setEmail( ( event.target as HTMLInputElement ).value );
						if ( error ) {
							setError( '' );
						}
					} }
				/>
				<button
					type="submit"
					className="secondary"
					disabled={ busy }
					aria-busy={ busy ? 'true' : undefined }
				>
					{ texts.emailSubmit }
				</button>
			</div>
			<FieldError id="chatflows-email-error" message={ error } />
			{ communications && (
				<CommunicationsCheckbox
					id="chatflows-email-communications"
					label={ communications }
					checked={ ticked }
					onChange={ setTicked }
				/>
			) }
			{ onSkip && <SkipButton label={ texts.skip } onClick={ onSkip } /> }
		</form>
	);
}

interface OfflineFormProps {
	texts: ChatWindowTexts;
	widgetTexts: WidgetTexts;
	/** Why the form shows: nobody answers now, or the service cannot be reached. */
	intro: string;
	/** Leaves the message, with whether the communications checkbox is ticked; false: not left. */
	onLeave: (
		email: string,
		body: string,
		communications: boolean
	) => boolean | void;
	/** The communications checkbox's label; absent: no checkbox. */
	communications?: string;
}

/**
 * A message and an e-mail address, left while nobody can answer.
 *
 * @param props Props.
 */
export function OfflineForm( props: OfflineFormProps ) {
	const { texts, widgetTexts, intro, onLeave, communications } = props;
	const [ email, setEmail ] = useState( '' );
	const [ body, setBody ] = useState( '' );
	const [ ticked, setTicked ] = useState( false );
	const [ errors, setErrors ] = useState( { email: '', body: '' } );
	const submit = ( event: Event ) => {
		event.preventDefault();
		const found = {
			email: isEmailAddress( email ) ? '' : texts.emailInvalid,
			body: body.trim() ? '' : texts.messageRequired,
		};
		setErrors( found );
		if ( ! found.email && ! found.body ) {
			onLeave( email.trim(), body, ticked );
		}
	};
	return (
		<form
			className="offline-form"
			onSubmit={ submit }
			noValidate
			aria-labelledby="chatflows-offline-heading"
		>
			<h3 id="chatflows-offline-heading">{ texts.offlineHeading }</h3>
			<p className="intro">{ intro }</p>
			<label htmlFor="chatflows-offline-email">
				{ texts.emailLabel }
			</label>
			<input
				id="chatflows-offline-email"
				type="email"
				autoComplete="email"
				data-autofocus
				value={ email }
				aria-invalid={ errors.email ? 'true' : 'false' }
				aria-describedby={
					errors.email ? 'chatflows-offline-email-error' : undefined
				}
				onInput={ ( event ) =>
					setEmail( ( event.target as HTMLInputElement ).value )
				}
			/>
			<FieldError
				id="chatflows-offline-email-error"
				message={ errors.email }
			/>
			<label htmlFor="chatflows-offline-message">
				{ widgetTexts.message }
			</label>
			<textarea
				id="chatflows-offline-message"
				rows={ 3 }
				value={ body }
				aria-invalid={ errors.body ? 'true' : 'false' }
				aria-describedby={
					errors.body ? 'chatflows-offline-message-error' : undefined
				}
				onInput={ ( event ) =>
					setBody( ( event.target as HTMLTextAreaElement ).value )
				}
			/>
			<FieldError
				id="chatflows-offline-message-error"
				message={ errors.body }
			/>
			{ communications && (
				<CommunicationsCheckbox
					id="chatflows-offline-communications"
					label={ communications }
					checked={ ticked }
					onChange={ setTicked }
				/>
			) }
			<div className="actions">
				<button type="submit" className="primary">
					{ texts.offlineSubmit }
				</button>
			</div>
		</form>
	);
}

interface SurveyFormProps {
	texts: ChatWindowTexts;
	question: string;
	answered: boolean;
	onAnswer: ( rating: number, comment: string ) => Promise< boolean >;
	/** Goes on without answering. */
	onSkip?: () => void;
}

/**
 * The satisfaction survey after the conversation closed: a rating from 1 to 5
 * and an optional comment.
 *
 * @param props Props.
 */
export function SurveyForm( props: SurveyFormProps ) {
	const { texts, question, answered, onAnswer, onSkip } = props;
	const [ rating, setRating ] = useState( 0 );
	const [ comment, setComment ] = useState( '' );
	const [ error, setError ] = useState( '' );
	const [ busy, setBusy ] = useState( false );
	if ( answered ) {
		return (
			<p className="survey-thanks" role="status">
				{ texts.surveyThanks }
			</p>
		);
	}
	const submit = async ( event: Event ) => {
		event.preventDefault();
		if ( ! rating ) {
			setError( texts.surveyChooseRating );
			return;
		}
		setBusy( true );
		const stored = await onAnswer( rating, comment );
		setBusy( false );
		setError( stored ? '' : texts.notDelivered );
	};
	return (
		<form
			className="survey"
			onSubmit={ submit }
			noValidate
			aria-busy={ busy ? 'true' : undefined }
		>
			<fieldset
				aria-describedby={
					error ? 'chatflows-survey-error' : undefined
				}
			>
				<legend>{ question }</legend>
				<div className="ratings">
					{ Array.from( { length: MAX_RATING }, ( _, index ) => {
						const value = index + 1;
						return (
							<span key={ value } className="rating">
								<input
									type="radio"
									id={ `chatflows-rating-${ value }` }
									name="chatflows-rating"
									value={ value }
									checked={ rating === value }
									data-autofocus={
										value === 1 ? true : undefined
									}
									onChange={ () => {
										setRating( value );
										setError( '' );
									} }
								/>
								<label
									htmlFor={ `chatflows-rating-${ value }` }
								>
									<span aria-hidden="true">{ value }</span>
									<span className="visually-hidden">
										{ fill(
											texts.surveyRating,
											value,
											MAX_RATING
										) }
									</span>
								</label>
							</span>
						);
					} ) }
				</div>
			</fieldset>
			<FieldError id="chatflows-survey-error" message={ error } />
			{ /* Asked once a rating is chosen: one thing at a time, and room for the conversation. */ }
			{ rating > 0 && (
				<>
					<label htmlFor="chatflows-survey-comment">
						{ texts.surveyComment }
					</label>
					<textarea
						id="chatflows-survey-comment"
						rows={ 2 }
						value={ comment }
						onInput={ ( event ) =>
							setComment(
								( event.target as HTMLTextAreaElement ).value
							)
						}
					/>
				</>
			) }
			<div className="actions">
				<button type="submit" className="primary" disabled={ busy }>
					{ texts.surveySubmit }
				</button>
				{ onSkip && (
					<SkipButton label={ texts.skip } onClick={ onSkip } />
				) }
			</div>
		</form>
	);
}
