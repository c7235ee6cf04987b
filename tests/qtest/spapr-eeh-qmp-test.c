/*
 * QTest: the VFIO_EEH event and query-vfio-eeh on pseries
 *
 * The event is rate-limited per device and kind: the first one is sent
 * at once, a later one of the same kind within a second is held back
 * until the second is over (qtest runs the rate limit on the virtual
 * clock), and only the last of those is sent.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "qemu/osdep.h"
#include "qemu/bswap.h"
#include "qobject/qdict.h"
#include "qobject/qlist.h"
#include "spapr-eeh-common.h"

#define EEH_EVENT_RATE_NS       (1000 * 1000 * 1000)

/* Wait for VFIO_EEH of @kind; returns its data (free with the event) */
static QDict *eeh_event(EehTest *t, const char *kind, QDict **ev)
{
    QDict *data;

    *ev = qtest_qmp_eventwait_ref(t->qts, "VFIO_EEH");
    data = qdict_get_qdict(*ev, "data");
    g_assert_nonnull(data);
    g_assert_cmpstr(qdict_get_str(data, "kind"), ==, kind);
    /* The devices of these tests have no id */
    g_assert_false(qdict_haskey(data, "device-id"));
    g_assert_true(g_str_has_prefix(qdict_get_str(data, "qom-path"),
                                   "/machine/peripheral-anon/"));
    g_assert_true(g_str_has_prefix(qdict_get_str(data, "phb"), "/machine/"));
    return data;
}

static void eeh_event_drop(EehTest *t, const char *kind)
{
    QDict *ev;

    eeh_event(t, kind, &ev);
    qobject_unref(ev);
}

/* No VFIO_EEH is waiting, not even one held back by the rate limit */
static void assert_no_event(EehTest *t)
{
    qtest_clock_step(t->qts, EEH_EVENT_RATE_NS);
    /* A round trip: an event sent before would precede its reply */
    qtest_qmp_assert_success(t->qts, "{'execute': 'query-status'}");
    g_assert_null(qtest_qmp_event_ref(t->qts, "VFIO_EEH"));
}

/* query-vfio-eeh; the one PE it must list */
static QDict *eeh_query(EehTest *t, QDict **rsp)
{
    QList *ret;

    *rsp = qtest_qmp(t->qts, "{'execute': 'query-vfio-eeh'}");
    g_assert_false(qdict_haskey(*rsp, "error"));
    ret = qdict_get_qlist(*rsp, "return");
    g_assert_nonnull(ret);
    g_assert_cmpuint(qlist_size(ret), ==, 1);
    return qobject_to(QDict, qlist_peek(ret));
}

/* The PE's record @i, the query must list @n of them; NULL for none */
static QDict *eeh_record(QDict *pe, unsigned n, unsigned i)
{
    QList *recs = qdict_get_qlist(pe, "records");
    const QListEntry *e;

    g_assert_cmpuint(qlist_size(recs), ==, n);
    if (!n) {
        return NULL;
    }
    g_assert_cmpuint(i, <, n);
    for (e = qlist_first(recs); i; i--) {
        e = qlist_next(e);
    }
    return qobject_to(QDict, qlist_entry_obj(e));
}

static int32_t slot_error_detail(EehTest *t, uint32_t fn, uint32_t *plid)
{
    uint64_t rbuf = guest_alloc(&t->alloc, QRTAS_LOG_MAX);
    int32_t st;

    st = qrtas_ibm_slot_error_detail(t->qts, &t->alloc, PHB0_BUID, PE_ADDR,
                                     0, 0, rbuf, QRTAS_LOG_MAX, fn);
    if (st == RTAS_SUCCESS && plid) {
        uint8_t be[4];

        qtest_memread(t->qts, rbuf + 24 + 40, be, sizeof(be));  /* PH PLID */
        *plid = ldl_be_p(be);
    }
    guest_free(&t->alloc, rbuf);
    return st;
}

static void test_frozen(void)
{
    EehTest t = { 0 };
    QDict *ev, *data, *err, *rsp, *pe, *rec;
    QList *hdr;
    g_autofree char *phb = NULL;
    uint32_t plid = 0;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    /* A healthy PE: listed, with nothing to tell */
    pe = eeh_query(&t, &rsp);
    g_assert_false(qdict_get_bool(pe, "permanent"));
    g_assert_cmpuint(qdict_get_int(pe, "freeze-count"), ==, 0);
    eeh_record(pe, 0, 0);
    qobject_unref(rsp);

    eeh_freeze(&t, "freeze all aer=UE:0x100000");
    data = eeh_event(&t, "frozen", &ev);
    phb = g_strdup(qdict_get_str(data, "phb"));
    g_assert_cmpuint(qdict_get_int(data, "freeze-count"), ==, 1);
    err = qdict_get_qdict(data, "error");
    g_assert_nonnull(err);
    g_assert_cmpuint(qdict_get_int(err, "freeze-count"), ==, 1);
    g_assert_cmpuint(qdict_get_int(err, "dropped"), ==, 0);
    g_assert_true(qdict_haskey(err, "class"));
    qobject_unref(ev);

    /* The guest thaws MMIO and fetches the log, as Linux does */
    g_assert_cmpint(qrtas_ibm_set_eeh_option(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, EEH_OPT_THAW_IO),
                    ==, RTAS_SUCCESS);
    g_assert_cmpint(slot_error_detail(&t, SLOT_ERR_TEMP, &plid), ==,
                    RTAS_SUCCESS);

    pe = eeh_query(&t, &rsp);
    g_assert_cmpstr(qdict_get_str(pe, "phb"), ==, phb);
    g_assert_false(qdict_get_bool(pe, "permanent"));
    g_assert_cmpuint(qdict_get_int(pe, "freeze-count"), ==, 1);
    g_assert_cmpuint(qdict_get_int(pe, "dropped"), ==, 0);
    rec = eeh_record(pe, 1, 0);
    g_assert_cmphex(qdict_get_int(rec, "plid"), ==, plid);
    g_assert_cmpstr(qdict_get_str(rec, "class"), ==, "mmio");
    g_assert_cmpuint(qdict_get_int(rec, "freeze-count"), ==, 1);
    g_assert_cmpuint(qdict_get_int(rec, "pe-state"), ==,
                     PE_STATE_STOPPED_IO_DMA);
    g_assert_cmphex(qdict_get_int(rec, "aer-ue-status"), ==, 0x100000);
    hdr = qdict_get_qlist(rec, "aer-header-log");
    g_assert_nonnull(hdr);
    g_assert_cmpuint(qlist_size(hdr), ==, 4);
    g_assert_cmpstr(qdict_get_str(rec, "host-data-format"), ==, "none");
    g_assert_cmpuint(qdict_get_int(rec, "host-data-length"), ==, 0);
    g_assert_false(qdict_haskey(rec, "host-data"));
    g_assert_false(qdict_haskey(rec, "fault-address"));
    g_assert_true(qdict_get_bool(rec, "delivered"));
    g_assert_false(qdict_get_bool(rec, "released"));
    qobject_unref(rsp);
    eeh_stop(&t);
}

/* The PE is back to normal: kind recovered, with no error */
static void test_recovered(void)
{
    EehTest t = { 0 };
    QDict *ev, *data;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    eeh_freeze(&t, "freeze all aer=UE:0x4000");
    eeh_event_drop(&t, "frozen");

    vhm_ok(&t, "thaw");
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_NORMAL);
    /* Another kind: not held back by the "frozen" just before */
    data = eeh_event(&t, "recovered", &ev);
    g_assert_cmpuint(qdict_get_int(data, "freeze-count"), ==, 1);
    g_assert_false(qdict_haskey(data, "error"));
    qobject_unref(ev);
    eeh_stop(&t);
}

/*
 * State 1, a reset the guest activated and has not deactivated yet, is
 * no recovery: "recovered" comes with state 0 only.
 */
static void test_reset_active(void)
{
    static const EehDev devs[] = {
        { "0001:00:01.0", 42, 1, NULL, "reset_state=1" },
        { NULL }
    };
    EehTest t = { 0 };

    eeh_start_enabled(&t, devs, NULL);
    eeh_freeze(&t, "freeze all aer=UE:0x4000");
    eeh_event_drop(&t, "frozen");

    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, SLOT_RESET_HOT),
                    ==, RTAS_SUCCESS);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_RESET);
    assert_no_event(&t);

    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, SLOT_RESET_DEACTIVATE),
                    ==, RTAS_SUCCESS);
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_NORMAL);
    eeh_event_drop(&t, "recovered");
    eeh_stop(&t);
}

/*
 * Frozen, recovered, frozen again within a second: management gets all
 * three kinds' last events, and the freeze counts order them.
 */
static void test_rate_limit(void)
{
    EehTest t = { 0 };
    QDict *ev, *data;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    eeh_freeze(&t, "freeze all");
    vhm_ok(&t, "thaw");
    g_assert_cmpuint(eeh_pe_state(&t, PHB0_BUID, NULL), ==, PE_STATE_NORMAL);
    eeh_freeze(&t, "freeze all");

    data = eeh_event(&t, "frozen", &ev);
    g_assert_cmpuint(qdict_get_int(data, "freeze-count"), ==, 1);
    qobject_unref(ev);
    data = eeh_event(&t, "recovered", &ev);
    g_assert_cmpuint(qdict_get_int(data, "freeze-count"), ==, 1);
    qobject_unref(ev);
    /* The second "frozen" is held back until the second is over */
    qtest_qmp_assert_success(t.qts, "{'execute': 'query-status'}");
    g_assert_null(qtest_qmp_event_ref(t.qts, "VFIO_EEH"));
    qtest_clock_step(t.qts, EEH_EVENT_RATE_NS);
    data = eeh_event(&t, "frozen", &ev);
    g_assert_cmpuint(qdict_get_int(data, "freeze-count"), ==, 2);
    qobject_unref(ev);
    eeh_stop(&t);
}

/* Function 2: kind permanent, and the query says so */
static void test_permanent(void)
{
    EehTest t = { 0 };
    QDict *ev, *data, *rsp, *pe;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    eeh_freeze(&t, "freeze all aer=UE:0x20");
    eeh_event_drop(&t, "frozen");

    g_assert_cmpint(slot_error_detail(&t, SLOT_ERR_PERM, NULL), ==,
                    RTAS_SUCCESS);
    data = eeh_event(&t, "permanent", &ev);
    g_assert_cmpuint(qdict_get_int(qdict_get_qdict(data, "error"),
                                   "freeze-count"), ==, 1);
    qobject_unref(ev);

    pe = eeh_query(&t, &rsp);
    g_assert_true(qdict_get_bool(pe, "permanent"));
    eeh_record(pe, 1, 0);
    qobject_unref(rsp);
    eeh_stop(&t);
}

/*
 * A record LoPAR let go before the guest fetched it is "released"; the
 * log the guest gets afterwards does not carry it, so it never becomes
 * "delivered" as well.
 */
static void test_released(void)
{
    EehTest t = { 0 };
    QDict *rsp, *pe, *rec;

    eeh_start_enabled(&t, eeh_one_dev, NULL);
    eeh_freeze(&t, "freeze all aer=UE:0x4000");
    g_assert_cmpint(qrtas_ibm_set_slot_reset(t.qts, &t.alloc, PHB0_BUID,
                                             PE_ADDR, SLOT_RESET_HOT),
                    ==, RTAS_SUCCESS);
    /* The host keeps the PE stopped while the reset is active */
    g_assert_cmpint(slot_error_detail(&t, SLOT_ERR_TEMP, NULL), ==,
                    RTAS_SUCCESS);

    pe = eeh_query(&t, &rsp);
    rec = eeh_record(pe, 1, 0);
    g_assert_false(qdict_get_bool(rec, "delivered"));
    g_assert_true(qdict_get_bool(rec, "released"));
    g_assert_cmpuint(qdict_get_int(pe, "dropped"), ==, 0);
    qobject_unref(rsp);
    eeh_stop(&t);
}

int main(int argc, char *argv[])
{
    g_test_init(&argc, &argv, NULL);

    eeh_add_test("spapr-eeh/qmp/frozen", test_frozen);
    eeh_add_test("spapr-eeh/qmp/recovered", test_recovered);
    eeh_add_test("spapr-eeh/qmp/reset-active", test_reset_active);
    eeh_add_test("spapr-eeh/qmp/rate-limit", test_rate_limit);
    eeh_add_test("spapr-eeh/qmp/permanent", test_permanent);
    eeh_add_test("spapr-eeh/qmp/released", test_released);

    return g_test_run();
}
