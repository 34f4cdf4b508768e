#!/usr/bin/python3
"""Writes a finished campaign with what came back into a run's SQLite database, for
results.test.mjs: rows with opens, clicks, bounces, an unsubscribe, a complaint and a control
group; opens and clicks per hour; two links; orders of the group in the week after the send.

Usage: seed_results.py DATABASE GROUP_ID. Prints the campaign's id."""
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1], timeout=30)
group = int(sys.argv[2])
cur = db.cursor()
people = [r[0] for r in cur.execute(
    "SELECT person_id FROM memberships WHERE group_id = ? ORDER BY person_id LIMIT 40", (group,))]
catalogue = cur.execute("SELECT MIN(id) FROM catalogues WHERE group_id = ?", (group,)).fetchone()[0]
cur.execute("INSERT INTO mm_campaigns (group_id, recipient_type, name, subject, html, text_body, status, sender_email,"
            " started_at, finished_at, control_group_percent) VALUES (?, 'members', 'Résultats des paniers de mars',"
            " 'Les paniers', '<p>Bonjour</p>', '', 'done', 'paniers@example.org', '2001-03-05 08:00:00',"
            " '2001-03-05 08:20:00', 10)", (group,))
campaign = cur.lastrowid
cur.execute("INSERT INTO mm_campaign_versions (campaign_id, locale, subject, html, text_body) VALUES (?, 'en',"
            " 'The baskets', '<p>Hello</p>', '')", (campaign,))
domains = ["example.org", "gmail.com", "orange.fr", "yahoo.fr", "free.fr"]
for i, person in enumerate(people):
    domain = domains[i % len(domains)] if i % 3 else "example.org"
    status, reason, bounce, detail = "sent", "", "", ""
    if i % 10 == 9:
        status, reason = "left_out", "control_group"
    elif i == 4:
        status, bounce, detail = "bounced", "hard", "550 5.1.1 user unknown"
    elif i == 7:
        bounce, detail = "soft", "452 4.2.2 mailbox full"
    opened = status == "sent" and i % 2 == 0
    clicked = opened and i % 4 == 0
    cur.execute(
        "INSERT INTO mm_recipients (campaign_id, source_id, kind, recipient_id, email, first_name, last_name, locale,"
        " dedupe_key, status, reason, bounce, bounce_detail, opens, machine_opens, clicks, machine_clicks, domain,"
        " sent_at, first_open_at, first_click_at, unsubscribed_at, complained_at) VALUES (?, 1, 'person', ?, ?, ?,"
        " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (campaign, person, f"membre{i}@{domain}", f"Membre {i}", "Dupré", "en" if i % 4 == 1 else "fr",
         f"membre{i}@{domain}", status, reason, bounce, detail, 1 + i % 3 if opened else 0, 1 if i % 5 == 0 else 0,
         1 + i % 2 if clicked else 0, 1 if i % 6 == 0 else 0, domain,
         None if status == "left_out" else "2001-03-05 08:05:00", "2001-03-05 09:10:00" if opened else None,
         "2001-03-05 09:40:00" if clicked else None, "2001-03-05 12:00:00" if i == 2 else None,
         "2001-03-05 13:00:00" if i == 6 else None))
hours = [(0, 6, 2, 1, 0), (1, 9, 1, 4, 1), (2, 4, 0, 2, 0), (3, 2, 0, 1, 0), (5, 1, 0, 0, 0), (8, 1, 0, 1, 0)]
for h, opens, machine_opens, clicks, machine_clicks in hours:
    cur.execute("INSERT INTO mm_result_hours (campaign_id, hour, opens, machine_opens, clicks, machine_clicks)"
                " VALUES (?, datetime('2001-03-05 08:00:00', ?), ?, ?, ?, ?)",
                (campaign, f"+{h} hours", opens, machine_opens, clicks, machine_clicks))
cur.execute("INSERT INTO mm_links (campaign_id, url, url_hash, clicks, unique_clicks, machine_clicks) VALUES"
            " (?, 'https://example.org/commandes?semaine=10', 'h1', 7, 5, 1),"
            " (?, 'https://example.org/recettes', 'h2', 2, 2, 0)",
            (campaign, campaign))
for i, person in enumerate(people):
    if i % 3 == 0 and catalogue is not None:
        cur.execute("INSERT INTO orders (group_id, person_id, catalogue_id, ordered_at) VALUES (?, ?, ?,"
                    " '2001-03-07 18:00:00')", (group, person, catalogue))
db.commit()
print(campaign)
