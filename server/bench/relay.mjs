/**
 * The bare socket.io relay the benchmark compares the service with: the same
 * namespaces and events, no authentication, no storage, no routing. A message
 * is numbered in memory, acknowledged and passed to the agents namespace.
 *
 * With `CHATFLOWS_BENCH_LOG` set to a file, it is the durable relay instead:
 * each message is appended to that file and acknowledged only once the file
 * is synced to disk (`fdatasync`), messages arriving during a sync sharing
 * the next one (group commit). That is the least any server acknowledging
 * durably pays on this disk, with nothing else of the service's work.
 *
 * Prints one JSON line `{"msg":"listening","port":…}` like the service.
 */
import fs from 'node:fs';
import http from 'node:http';
import { Server } from 'socket.io';

/**
 * An append-only file whose appends are reported done once synced to disk.
 *
 * @param {string} file The file.
 */
function createDurableLog( file ) {
	const fd = fs.openSync( file, 'a' );
	let pending = [];
	let syncing = false;
	const flush = () => {
		if ( syncing || pending.length === 0 ) {
			return;
		}
		syncing = true;
		const batch = pending;
		pending = [];
		let error = null;
		try {
			fs.writeSync( fd, batch.map( ( entry ) => entry.line ).join( '' ) );
		} catch ( caught ) {
			error = caught;
		}
		fs.fdatasync( fd, ( syncError ) => {
			syncing = false;
			batch.forEach( ( entry ) => entry.done( error ?? syncError ) );
			flush();
		} );
	};
	return {
		append( line, done ) {
			pending.push( { line, done } );
			flush();
		},
	};
}

const durableLog = process.env.CHATFLOWS_BENCH_LOG
	? createDurableLog( process.env.CHATFLOWS_BENCH_LOG )
	: null;

const port = Number( process.env.CHATFLOWS_PORT ?? 0 );
const httpServer = http.createServer( ( _req, res ) => {
	res.writeHead( 404 ).end();
} );
const io = new Server( httpServer, {
	serveClient: false,
	maxHttpBufferSize: 64 * 1024,
	cors: { origin: true },
} );
const agents = io.of( '/agent' );
const seqs = new Map();

io.of( '/visitor' ).on( 'connection', ( socket ) => {
	socket.emit( 'session', { visitorId: socket.id, token: socket.id } );
	socket.on( 'message:send', ( payload, ack ) => {
		if ( typeof ack !== 'function' ) {
			return;
		}
		const seq = ( seqs.get( socket.id ) ?? 0 ) + 1;
		seqs.set( socket.id, seq );
		const message = {
			conversationId: socket.id,
			seq,
			clientId: String( payload?.clientId ?? '' ),
			authorType: 'visitor',
			authorName: '',
			body: String( payload?.body ?? '' ),
			createdAt: new Date().toISOString(),
		};
		const relay = () => {
			ack( { ok: true, data: { message } } );
			agents.emit( 'message:new', message );
		};
		if ( ! durableLog ) {
			relay();
			return;
		}
		durableLog.append( JSON.stringify( message ) + '\n', ( error ) => {
			if ( error ) {
				ack( {
					ok: false,
					error: { code: 'internal', message: String( error ) },
				} );
				return;
			}
			relay();
		} );
	} );
	socket.on( 'disconnect', () => seqs.delete( socket.id ) );
} );

httpServer.listen( port, '127.0.0.1', () => {
	process.stdout.write(
		JSON.stringify( {
			msg: 'listening',
			port: httpServer.address().port,
		} ) + '\n'
	);
} );

process.on( 'SIGTERM', () => {
	io.close( () => process.exit( 0 ) );
} );
