/**
 * The "Delete …?" confirmation used before anything is deleted, so every
 * screen asks the same way: Cancel first, the destructive button last.
 */
import { Button, Modal } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

/**
 * A modal asking to confirm a deletion.
 *
 * @param props              Component props.
 * @param props.title        The (translated) question, e.g. "Delete Sales?".
 * @param props.confirmLabel The (translated) label of the destructive button.
 * @param props.onCancel     Closes the modal without deleting (also used for
 *                           Escape and the close button).
 * @param props.onConfirm    Deletes; the caller closes the modal itself.
 * @param props.children     What deleting means, shown above the buttons.
 */
export function ConfirmDeleteModal( {
	title,
	confirmLabel,
	onCancel,
	onConfirm,
	children,
}: {
	title: string;
	confirmLabel: string;
	onCancel: () => void;
	onConfirm: () => void;
	children: React.ReactNode;
} ) {
	return (
		<Modal title={ title } onRequestClose={ onCancel }>
			{ children }
			<div className="chatflows-modal-actions">
				<Button variant="tertiary" onClick={ onCancel }>
					{ __( 'Cancel', 'chatflows' ) }
				</Button>
				<Button variant="primary" isDestructive onClick={ onConfirm }>
					{ confirmLabel }
				</Button>
			</div>
		</Modal>
	);
}
