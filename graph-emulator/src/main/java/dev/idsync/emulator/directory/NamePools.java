package dev.idsync.emulator.directory;

import java.util.List;

/** Realistic value pools for generated tenants (names from several languages, offices, titles). */
final class NamePools {

    private NamePools() {
    }

    static final List<String> GIVEN_NAMES = List.of(
            "Anna", "Lukas", "Sophie", "Maximilian", "Marie", "Felix", "Emilia", "Paul", "Hannah", "Jonas",
            "Lea", "Leon", "Mia", "Finn", "Lena", "Elias", "Laura", "Noah", "Julia", "Ben",
            "Olivia", "Liam", "Emma", "Lucas", "Chloé", "Hugo", "Sofía", "Mateo", "Giulia", "Lorenzo",
            "Aisha", "Omar", "Mei", "Hiroshi", "Priya", "Arjun", "Zofia", "Jakub", "Ingrid", "Sven",
            "Fatma", "Emre", "Nora", "Oskar", "Clara", "Anton", "Ida", "Karl", "Greta", "Theo",
            "Isabel", "Diego", "Amelia", "George", "Charlotte", "Henry", "Eva", "Tomás", "Yara", "Malik");

    static final List<String> SURNAMES = List.of(
            "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
            "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger",
            "Smith", "Johnson", "Brown", "Taylor", "Wilson", "Martin", "Bernard", "Dubois", "Rossi", "Russo",
            "García", "Fernández", "López", "Nowak", "Kowalski", "Yılmaz", "Kaya", "Nguyen", "Tanaka", "Sato",
            "Kim", "Patel", "Singh", "Andersson", "Johansson", "Nielsen", "Jansen", "de Vries", "Novák", "Horvat");

    static final List<String> DEPARTMENTS = List.of(
            "Sales", "Marketing", "Finance", "Accounting", "Human Resources", "IT", "Engineering", "Support",
            "Legal", "Procurement", "Logistics", "Research", "Operations", "Facilities");

    static final List<String> JOB_TITLES = List.of(
            "Sachbearbeiter", "Teamleiter", "Abteilungsleiterin", "Software Engineer", "Account Manager",
            "Buchhalterin", "HR Business Partner", "Consultant", "Werkstudent", "Projektleiter",
            "System Administrator", "Controller", "Einkäufer", "Support Specialist", "Product Owner");

    static final List<String> COMPANIES = List.of(
            "Contoso GmbH", "Contoso Services AG", "Contoso Logistik GmbH & Co. KG", "Fabrikam Ltd", "Contoso Austria GmbH");

    /** City, country, usage location, postal code, phone prefix. */
    static final List<String[]> OFFICES = List.of(
            new String[] {"Berlin", "Germany", "DE", "10115", "+49 30"},
            new String[] {"München", "Germany", "DE", "80331", "+49 89"},
            new String[] {"Hamburg", "Germany", "DE", "20095", "+49 40"},
            new String[] {"Köln", "Germany", "DE", "50667", "+49 221"},
            new String[] {"Wien", "Austria", "AT", "1010", "+43 1"},
            new String[] {"Zürich", "Switzerland", "CH", "8001", "+41 44"},
            new String[] {"London", "United Kingdom", "GB", "EC1A 1BB", "+44 20"},
            new String[] {"Paris", "France", "FR", "75001", "+33 1"});

    static final List<String> TEAM_WORDS = List.of(
            "Falcon", "Orion", "Atlas", "Nordlicht", "Phoenix", "Kepler", "Merkur", "Delta", "Polaris", "Aurora");

    /** Built-in directory role templates: display name and Entra's well-known template id. */
    static final List<String[]> ROLE_TEMPLATES = List.of(
            new String[] {"Global Administrator", "62e90394-69f5-4237-9190-012177145e10",
                    "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities."},
            new String[] {"User Administrator", "fe930be7-5e62-47db-91af-98c3a49a38b1",
                    "Can manage all aspects of users and groups, including resetting passwords for limited admins."},
            new String[] {"Groups Administrator", "fdd7a751-b60b-444a-984c-02652fe8fa1c",
                    "Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports."},
            new String[] {"Helpdesk Administrator", "729827e3-9c14-49f7-bb1b-9608f156bbb8",
                    "Can reset passwords for non-administrators and Helpdesk Administrators."},
            new String[] {"Global Reader", "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
                    "Can read everything that a Global Administrator can, but not update anything."},
            new String[] {"Security Reader", "5d6b6bb7-de71-4623-b4af-96380a352509",
                    "Can read security information and reports in Microsoft Entra ID and Office 365."},
            new String[] {"Privileged Role Administrator", "e8611ab8-c189-46e8-94e1-60213ab1f814",
                    "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management."},
            new String[] {"Application Administrator", "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
                    "Can create and manage all aspects of app registrations and enterprise apps."});
}
