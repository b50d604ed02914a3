/*
 * server/fault_mail.c - the fault engine's side of state/mail_delivery.h:
 * state/ asks through st->server, so it never includes server headers.
 */
#include "../state/mail_delivery.h"
#include "srv.h"

void mail_rules_decide(void *server, const char *tenant_id, const char *recipient,
                       struct mail_verdict *v)
{
	struct srv *srv = server;

	fault_engine_mail(&srv->faults, tenant_id, recipient, v);
}
