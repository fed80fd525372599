-- 004: a rating is stored at the face tap and sent once it is final
-- (contract 1.1).
--
-- Why:
-- * `outbox.open_ms` is set while the visitor may still add follow-ups
--   (reasons, desk, service, comment) to a rating stored at the face tap:
--   the sync worker does not send an open row. The visit's end (the visitor
--   leaves the follow-up pages, goes home, the idle reset, the kiosk
--   starting again after a power cut) closes it, and the rating then goes as
--   one record with everything the visitor gave, never in parts or twice. A
--   row left open longer than any visit lasts is closed by the sync worker,
--   so a rating can never stay unsent.
-- * The follow-ups change a stored rating's counted columns, so the tallies
--   of migration 002 follow an update of score, service or desk and the
--   removal of a reason, as they follow an insert.

ALTER TABLE outbox ADD COLUMN open_ms INTEGER;

CREATE INDEX outbox_open ON outbox (open_ms) WHERE open_ms IS NOT NULL;

CREATE TRIGGER rating_tally_update AFTER UPDATE OF score, service, desk ON records
WHEN NEW.kind = 'rating'
BEGIN
    UPDATE rating_tally_service SET n = n - 1
    WHERE (local_date, demo, rejected, service, score) =
          (OLD.local_date, OLD.demo,
           coalesce((SELECT o.state = 'rejected' FROM outbox o WHERE o.record_id = OLD.id), 0),
           coalesce(OLD.service, ''), OLD.score);
    INSERT INTO rating_tally_service (local_date, demo, rejected, service, score, n)
    VALUES (NEW.local_date, NEW.demo,
            coalesce((SELECT o.state = 'rejected' FROM outbox o WHERE o.record_id = NEW.id), 0),
            coalesce(NEW.service, ''), NEW.score, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;

    UPDATE rating_tally_desk SET n = n - 1
    WHERE (local_date, demo, rejected, desk, score) =
          (OLD.local_date, OLD.demo,
           coalesce((SELECT o.state = 'rejected' FROM outbox o WHERE o.record_id = OLD.id), 0),
           coalesce(OLD.desk, ''), OLD.score);
    INSERT INTO rating_tally_desk (local_date, demo, rejected, desk, score, n)
    VALUES (NEW.local_date, NEW.demo,
            coalesce((SELECT o.state = 'rejected' FROM outbox o WHERE o.record_id = NEW.id), 0),
            coalesce(NEW.desk, ''), NEW.score, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER rating_tally_reason_delete AFTER DELETE ON rating_reasons
BEGIN
    UPDATE rating_tally_reason SET n = n - 1
    WHERE (local_date, demo, rejected, reason, score) IN
          (SELECT r.local_date, r.demo,
                  coalesce((SELECT o.state = 'rejected' FROM outbox o WHERE o.record_id = r.id), 0),
                  OLD.reason, r.score
           FROM records r WHERE r.id = OLD.record_id AND r.kind = 'rating');
END;
