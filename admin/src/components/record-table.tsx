/**
 * The list tables of the set-up screens (teams, inboxes, agents, saved
 * replies): wp-admin's own table look, a caption for screen readers, a row
 * saying when there is nothing yet, and Edit / Delete links per row.
 */
import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import type { ReactNode } from 'react';

/**
 * A table of records.
 *
 * @param props           Props.
 * @param props.caption   What the table lists (read by screen readers).
 * @param props.columns   Column headings.
 * @param props.emptyText Said in a row of its own when `isEmpty`.
 * @param props.isEmpty   Whether there are no records.
 * @param props.children  The rows.
 */
export function RecordTable( {
	caption,
	columns,
	emptyText,
	isEmpty = false,
	children,
}: {
	caption: string;
	columns: string[];
	emptyText?: string;
	isEmpty?: boolean;
	children: ReactNode;
} ) {
	return (
		<table className="wp-list-table widefat striped">
			<caption className="screen-reader-text">{ caption }</caption>
			<thead>
				<tr>
					{ columns.map( ( column ) => (
						<th scope="col" key={ column }>
							{ column }
						</th>
					) ) }
				</tr>
			</thead>
			<tbody>
				{ isEmpty && emptyText && (
					<tr>
						<td colSpan={ columns.length }>{ emptyText }</td>
					</tr>
				) }
				{ children }
			</tbody>
		</table>
	);
}

/**
 * A row's Edit and (when `onDelete` is given) Delete links, named for the
 * record so that screen readers tell the rows' links apart.
 *
 * @param props             Props.
 * @param props.editLabel   Accessible name of Edit, e.g. "Edit team Sales".
 * @param props.deleteLabel Accessible name of Delete.
 * @param props.onEdit      Edits the record.
 * @param props.onDelete    Deletes it; none: no Delete link.
 */
export function RowActions( {
	editLabel,
	deleteLabel,
	onEdit,
	onDelete,
}: {
	editLabel: string;
	deleteLabel: string;
	onEdit: () => void;
	onDelete?: () => void;
} ) {
	return (
		<>
			<Button variant="link" onClick={ onEdit } aria-label={ editLabel }>
				{ __( 'Edit', 'chatflows' ) }
			</Button>
			{ onDelete && (
				<>
					{ ' ' }
					<Button
						variant="link"
						isDestructive
						onClick={ onDelete }
						aria-label={ deleteLabel }
					>
						{ __( 'Delete', 'chatflows' ) }
					</Button>
				</>
			) }
		</>
	);
}
