/*
 * bench/gen_scale.c - the fixture make bench-scale loads: tenant Contoso with
 * N users (default 1,000,000), 3 groups of N/10 members each, a resource
 * service principal with N/10 app role assignments, and a small second
 * tenant (Fabrikam) for the readers that must not wait on Contoso's admin
 * operations. Written to stdout; ids are deterministic.
 */
#include <stdio.h>
#include <stdlib.h>

static const char *const first[] = {
    "Adele", "Brian",  "Chloe", "Diego", "Emma",   "Farid", "Grace", "Hiro",  "Isla",
    "Jonas", "Kira",   "Liam",  "Maya",  "Noah",   "Olga",  "Pavel", "Quinn", "Rosa",
    "Sven",  "Tamara", "Ugo",   "Vera",  "Walter", "Xena",  "Yusuf", "Zoe",
};
static const char *const last[] = {"Vance", "Smith", "Garcia", "Chen",  "Novak",
                                   "Okafor", "Silva", "Kowalski", "Haddad", "Ito"};

/* A deterministic GUID: @kind in the first group, @n in the last. */
static void guid(char out[48], unsigned kind, unsigned long n)
{
	snprintf(out, 48, "%08x-0000-4000-8000-%012lx", kind & 0xffffffffu,
	         n & 0xffffffffffffUL);
}

int main(int argc, char **argv)
{
	unsigned long users = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	unsigned long per_group = users / 10, assigned = users / 10;
	char id[48], gid[48], sp[48], role[48];

	guid(sp, 0x5e, 1);
	guid(role, 0xa1, 1);
	printf("{\"description\":\"make bench-scale: %lu users\",\"tenants\":[\n"
	       "{\"id\":\"2dd67af8-8f6d-47d9-86d2-56d41895239d\",\"displayName\":"
	       "\"Contoso\",\"domain\":\"contoso.onmicrosoft.com\",\"users\":[\n",
	       users);
	for (unsigned long i = 0; i < users; i++) {
		const char *f = first[(i * 7919) % 26], *l = last[(i / 26) % 10];
		guid(id, 0x05e7, i);
		printf("%s{\"id\":\"%s\",\"displayName\":\"%s %s %lu\",\"givenName\":"
		       "\"%s\",\"surname\":\"%s\",\"userPrincipalName\":"
		       "\"user%lu@contoso.onmicrosoft.com\",\"mail\":"
		       "\"user%lu@contoso.onmicrosoft.com\",\"mailNickname\":\"user%lu\","
		       "\"jobTitle\":\"Engineer\",\"accountEnabled\":true,"
		       "\"createdDateTime\":\"2024-01-15T09:00:00Z\"}\n",
		       i ? "," : "", id, f, l, i, f, l, i, i, i);
	}
	printf("],\"groups\":[\n");
	for (unsigned g = 0; g < 3; g++) {
		guid(gid, 0x6a0, g);
		printf("%s{\"id\":\"%s\",\"displayName\":\"Scale group %u\",\"mailNickname\":"
		       "\"scale%u\",\"mailEnabled\":false,\"securityEnabled\":true}\n",
		       g ? "," : "", gid, g, g);
	}
	printf("],\"servicePrincipals\":[{\"id\":\"%s\",\"appId\":"
	       "\"00000000-0000-4000-8000-00000000a991\",\"displayName\":\"Scale app\","
	       "\"appRoles\":[{\"id\":\"%s\",\"value\":\"Scale.User\",\"displayName\":"
	       "\"Scale user\",\"description\":\"d\",\"allowedMemberTypes\":[\"User\"],"
	       "\"isEnabled\":true,\"origin\":\"Application\"}]}],\n\"memberships\":[\n",
	       sp, role);
	for (unsigned g = 0; g < 3; g++) {
		guid(gid, 0x6a0, g);
		for (unsigned long i = 0; i < per_group && i < users; i++) {
			guid(id, 0x05e7, (g * per_group + i) % users);
			printf("%s{\"groupId\":\"%s\",\"memberId\":\"%s\"}\n",
			       g || i ? "," : "", gid, id);
		}
	}
	printf("],\"appRoleAssignments\":[\n");
	for (unsigned long i = 0; i < assigned && i < users; i++) {
		guid(id, 0x05e7, users - 1 - i);
		printf("%s{\"principalId\":\"%s\",\"resourceId\":\"%s\",\"appRoleId\":"
		       "\"%s\"}\n",
		       i ? "," : "", id, sp, role);
	}
	printf("]},\n{\"id\":\"6b1f0c2e-3d4a-4b5c-8d6e-7f8091a2b3c4\",\"displayName\":"
	       "\"Fabrikam\",\"domain\":\"fabrikam.onmicrosoft.com\",\"users\":[");
	for (unsigned i = 0; i < 20; i++) {
		guid(id, 0xfab, i);
		printf("%s{\"id\":\"%s\",\"displayName\":\"Fabrikam user %u\","
		       "\"userPrincipalName\":\"f%u@fabrikam.onmicrosoft.com\"}",
		       i ? "," : "", id, i, i);
	}
	printf("]}]}\n");
	return 0;
}
