/**
 * The reply box: Enter sends, Shift+Enter breaks the line, `/` inserts a
 * saved reply (see use-saved-reply-picker.ts).
 */
import { Button, Notice } from '@wordpress/components';
import { TextareaControl } from '@chatflows/components';
import { useCallback, useRef, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { useSavedReplyPicker } from '../use-saved-reply-picker';
import { SavedReplyPickerList } from './saved-reply-picker';

interface ReplyFormProps {
	/** Resolves null once sent, or the reason it was not. */
	onSend: ( body: string ) => Promise< string | null >;
	/** Called on every change of the text (for the typing indicator). */
	onTyping?: ( typing: boolean ) => void;
	/** A closed conversation takes no reply until reopened. */
	disabled?: boolean;
	/** The conversation replied to: its saved replies are offered after `/`. */
	conversationId?: string;
}

/**
 * The reply box.
 *
 * @param props                Props.
 * @param props.onSend         Sends a reply.
 * @param props.onTyping       Typing indicator.
 * @param props.disabled       Whether replying is off.
 * @param props.conversationId The conversation replied to.
 */
export function ReplyForm( {
	onSend,
	onTyping,
	disabled = false,
	conversationId,
}: ReplyFormProps ) {
	const [ draft, setDraft ] = useState( '' );
	const box = useRef< HTMLFormElement >( null );
	const change = ( value: string ) => {
		setDraft( value );
		onTyping?.( value.trim() !== '' );
	};
	const picker = useSavedReplyPicker( {
		conversationId,
		text: draft,
		setText: change,
		textarea: useCallback(
			() => box.current?.querySelector( 'textarea' ) ?? null,
			[]
		),
	} );
	const [ error, setError ] = useState< string | null >( null );
	const [ busy, setBusy ] = useState( false );

	const send = async () => {
		const body = draft.trim();
		if ( ! body || busy || disabled ) {
			return;
		}
		setBusy( true );
		const failure = await onSend( body );
		setBusy( false );
		setError( failure );
		if ( ! failure ) {
			setDraft( '' );
		}
	};

	return (
		<form
			ref={ box }
			className="chatflows-inbox__reply"
			onSubmit={ ( event ) => {
				event.preventDefault();
				send();
			} }
		>
			{ error && (
				<Notice status="error" isDismissible={ false }>
					{ error }
				</Notice>
			) }
			<TextareaControl
				label={ __( 'Reply', 'chatflows' ) }
				value={ draft }
				rows={ 3 }
				disabled={ disabled }
				{ ...picker.textboxProps }
				onChange={ ( value: string ) => {
					change( value );
					const textarea = box.current?.querySelector( 'textarea' );
					if ( textarea ) {
						picker.onCaret( textarea );
					}
				} }
				onSelect={ (
					event: React.SyntheticEvent< HTMLTextAreaElement >
				) => picker.onCaret( event.currentTarget ) }
				onKeyDown={ ( event: React.KeyboardEvent ) => {
					if ( picker.onKeyDown( event ) ) {
						return;
					}
					if (
						event.key === 'Enter' &&
						! event.shiftKey &&
						! event.nativeEvent.isComposing
					) {
						event.preventDefault();
						send();
					}
				} }
			/>
			<SavedReplyPickerList picker={ picker } />
			<Button
				variant="primary"
				type="submit"
				isBusy={ busy }
				disabled={ busy || disabled }
			>
				{ __( 'Send', 'chatflows' ) }
			</Button>
		</form>
	);
}
