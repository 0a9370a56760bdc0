-- Per-user storage quota (issue 21, docs/uploads.md "Quota and free disk"): a person's usage is the
-- sum of the sizes of the uploads they made, read before every upload; this index keeps that sum
-- to the person's own rows.
create index if not exists uploads_uploader on uploads (uploader_id, size);
