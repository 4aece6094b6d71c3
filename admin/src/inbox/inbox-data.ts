/**
 * What WordPress prints for the inbox page (`Admin::inbox_page_data()`): the
 * site's name, and each chatflow's alias, inbox and whether agents may link
 * its knowledge base's articles.
 */
export interface InboxPageData {
	siteName: string;
	chatflows: Record<
		string,
		{ alias: string; inboxId: number; knowledgeBase: boolean }
	>;
}

/**
 * The page's data; empty values where the page printed none (tests).
 *
 * @return The data.
 */
export function inboxPageData(): InboxPageData {
	const printed = (
		window as unknown as { chatflowsInbox?: Partial< InboxPageData > }
	 ).chatflowsInbox;
	return {
		siteName: printed?.siteName ?? '',
		chatflows: printed?.chatflows ?? {},
	};
}
