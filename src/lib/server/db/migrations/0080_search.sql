-- Search (docs/search.md): full-text search over the `messages` projection, and trigram indexes for
-- the name searches. Everything here must also survive a restore, which drops the tables and runs
-- the migrations again while functions, configurations and extensions stay: so every non-table
-- object is created with `if not exists` / `or replace`, or dropped first.
--
-- Extensions (both "trusted" since PostgreSQL 13: the database owner may create them): unaccent
-- folds accents and ё → е; pg_trgm indexes LIKE '%…%' on names.
create extension if not exists unaccent;
--> statement
create extension if not exists pg_trgm;
--> statement
-- Words are stemmed by script: ASCII words as English, others (Cyrillic, accented Latin after
-- unaccent) as Russian; both drop their language's stop words and lower-case. unaccent comes
-- first (its rules cover both cases): é → e, ё → е (й stays й).
drop text search configuration if exists parley_search;
--> statement
create text search configuration parley_search (copy = russian);
--> statement
alter text search configuration parley_search
	alter mapping for asciiword, asciihword, hword_asciipart with unaccent, english_stem;
--> statement
alter text search configuration parley_search
	alter mapping for word, hword, hword_part with unaccent, russian_stem;
--> statement
-- The unstemmed (folded) words as well, for the word being typed: "runni" is a prefix of the word
-- "running" but not of its stem "run". Stop words are left out here too (they are most of a GIN
-- index's bulk and never a useful search).
drop text search configuration if exists parley_prefix;
--> statement
drop text search dictionary if exists parley_words_en;
--> statement
drop text search dictionary if exists parley_words_ru;
--> statement
create text search dictionary parley_words_en (template = simple, stopwords = english);
--> statement
create text search dictionary parley_words_ru (template = simple, stopwords = russian);
--> statement
create text search configuration parley_prefix (copy = simple);
--> statement
alter text search configuration parley_prefix
	alter mapping for asciiword, asciihword, hword_asciipart with unaccent, parley_words_en;
--> statement
alter text search configuration parley_prefix
	alter mapping for word, hword, hword_part with unaccent, parley_words_ru;
--> statement
-- What the parser sees of a message: characters that glue words into one token (e-mail addresses,
-- URLs, host names, file paths, version numbers, hyphenated words) become spaces, as do the usual
-- non-ASCII punctuation and symbols (typographic quotes and dashes, «», emoji): a database whose
-- ctype is C (the embedded server's) counts every non-ASCII character as a letter, so «ёлочки» or
-- "привет😀" would be one word there. So "anna@example.com" is the words anna, example, com, as the
-- search box's tokenizer splits it ($lib/search/query.ts). One space per UTF-16 unit (two for an
-- emoji), so offsets stay those of the text (highlights).
create or replace function search_text(body text) returns text
	language sql immutable parallel safe
	as $$ select regexp_replace(regexp_replace(
		translate(body, '@./:?=&%~_-+#<>\|', '                 '),
		'[\u00A0-\u00A9\u00AB-\u00B1\u00B4\u00B6-\u00B8\u00BB\u00BF\u00D7\u00F7\u2000-\u206F\u20A0-\u20CF\u2100-\u214F\u2190-\u2BFF\u3000-\u303F\uFE00-\uFE0F\uFE30-\uFE4F\uFF01-\uFF0F]',
		' ', 'g'),
		'[\U0001F000-\U0001FAFF\U000E0000-\U000E007F]', '  ', 'g') $$;
--> statement
-- A message's searchable words: stems, plus the folded words themselves (for prefixes).
create or replace function search_document(body text) returns tsvector
	language sql immutable parallel safe
	as $$ select to_tsvector('parley_search', search_text(body)) || to_tsvector('parley_prefix', search_text(body)) $$;
--> statement
-- A message's search vector: its words, and its document's name as one more lexeme ('conv.…': no
-- word holds a '.', search_text() made them spaces). A search ANDs its words with the OR of the
-- caller's documents in one GIN lookup, so the index yields only matches the caller may see;
-- a filter after the index would visit every match of a common word in every conversation.
create or replace function message_search_vector(doc_name text, body text) returns tsvector
	language sql immutable parallel safe
	as $$ select search_document(body) || array_to_tsvector(array[doc_name]) $$;
--> statement
-- Which conversation each document belongs to, in one place: today one document per conversation;
-- a conversation split into several documents (issue 18) adds its other documents here.
create or replace view conversation_documents as
	select c.id as conversation_id, 'conv.' || c.id as doc_name from conversations c;
--> statement
-- The search vector lives beside the text and is kept by a trigger in the same statement that
-- projects an insert, edit or deletion (server/relay/projection.ts), so the index never shows
-- text the conversation no longer has. Deleted messages, system notices and empty texts get none.
alter table messages add column search tsvector;
--> statement
update messages set search = message_search_vector(doc_name, text) where deleted_at is null and kind <> 'system' and text <> '';
--> statement
create or replace function messages_search_vector() returns trigger
	language plpgsql
	as $$
begin
	if new.deleted_at is null and new.kind <> 'system' and new.text <> '' then
		new.search := message_search_vector(new.doc_name, new.text);
	else
		new.search := null;
	end if;
	return new;
end
$$;
--> statement
create trigger messages_search_vector before insert or update of text, deleted_at, kind on messages
	for each row execute function messages_search_vector();
--> statement
create index messages_search on messages using gin (search) where search is not null;
--> statement
-- Names: `GET /api/users?q=` and `GET /api/channels?q=` match LIKE '%…%', which these serve.
create index users_username_trgm on users using gin (username gin_trgm_ops);
--> statement
create index users_display_name_trgm on users using gin (lower(display_name) gin_trgm_ops);
--> statement
create index conversations_title_trgm on conversations using gin (lower(title) gin_trgm_ops) where kind = 'channel' and public;
--> statement
create index conversations_description_trgm on conversations using gin (lower(description) gin_trgm_ops) where kind = 'channel' and public;
