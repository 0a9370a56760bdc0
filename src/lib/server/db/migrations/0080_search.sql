-- Search (docs/search.md): full-text search over the `messages` projection, and trigram indexes for
-- the name searches. Everything here must also survive a restore, which drops the tables and runs
-- the migrations again while functions, configurations and extensions stay: so every non-table
-- object is created with `if not exists` / `or replace`, or dropped first.
--
-- Extensions (all "trusted" since PostgreSQL 13: the database owner may create them): unaccent
-- folds accents and ё → е; pg_trgm indexes LIKE '%…%' on names; btree_gin lets one GIN index hold
-- a message's document name beside its words, so the membership filter runs inside the index.
create extension if not exists unaccent;
--> statement
create extension if not exists pg_trgm;
--> statement
create extension if not exists btree_gin;
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
-- URLs, host names, file paths, version numbers, hyphenated words) become spaces, one for one,
-- so "anna@example.com" is the words anna, example, com, as the search box's tokenizer splits it
-- ($lib/search/query.ts), and character offsets stay those of the text (highlights).
create or replace function search_text(body text) returns text
	language sql immutable parallel safe
	as $$ select translate(body, '@./:?=&%~_-+#<>\|', '                 ') $$;
--> statement
-- A message's searchable words: stems, plus the folded words themselves (for prefixes).
create or replace function search_document(body text) returns tsvector
	language sql immutable parallel safe
	as $$ select to_tsvector('parley_search', search_text(body)) || to_tsvector('parley_prefix', search_text(body)) $$;
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
update messages set search = search_document(text) where deleted_at is null and kind <> 'system' and text <> '';
--> statement
create or replace function messages_search_vector() returns trigger
	language plpgsql
	as $$
begin
	if new.deleted_at is null and new.kind <> 'system' and new.text <> '' then
		new.search := search_document(new.text);
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
-- One GIN index over (document, words): a search ANDs "in one of my documents" with the words
-- inside the index, instead of collecting every match of the words on the server and then
-- throwing away the conversations the caller is not in.
create index messages_search on messages using gin (doc_name, search) where search is not null;
--> statement
-- Names: `GET /api/users?q=` and `GET /api/channels?q=` match LIKE '%…%', which these serve.
create index users_username_trgm on users using gin (username gin_trgm_ops);
--> statement
create index users_display_name_trgm on users using gin (lower(display_name) gin_trgm_ops);
--> statement
create index conversations_title_trgm on conversations using gin (lower(title) gin_trgm_ops) where kind = 'channel' and public;
--> statement
create index conversations_description_trgm on conversations using gin (lower(description) gin_trgm_ops) where kind = 'channel' and public;
