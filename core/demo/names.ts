// People's names: drawn from pools that fit where someone works and their heritage (a Lisbon
// team is mostly Portuguese names, a Manila team Filipino ones), with some mixing, as in any
// international company. Name pools never influence performance.
import type { Random } from './random.ts';

interface NamePool {
  f: readonly string[];
  m: readonly string[];
  last: readonly string[];
}

const POOLS = {
  portuguese: {
    f: ['Ana', 'Maria', 'Inês', 'Beatriz', 'Joana', 'Mariana', 'Carolina', 'Rita', 'Sofia', 'Catarina'],
    m: ['João', 'Pedro', 'Tiago', 'Rui', 'Miguel', 'Duarte', 'Gonçalo', 'Nuno', 'André', 'Francisco'],
    last: ['Silva', 'Santos', 'Ferreira', 'Pereira', 'Costa', 'Oliveira', 'Rodrigues', 'Martins', 'Sousa', 'Fernandes', 'Gonçalves', 'Lopes'],
  },
  irish: {
    f: ['Aoife', 'Siobhan', 'Niamh', 'Ciara', 'Sinéad', 'Orla', 'Emma', 'Saoirse', 'Róisín', 'Grace'],
    m: ['Seán', 'Cian', 'Darragh', 'Conor', 'Oisín', 'Eoin', 'Liam', 'Patrick', 'Colm', 'Fionn'],
    last: ['Murphy', 'Kelly', "O'Brien", 'Byrne', 'Walsh', 'Ryan', "O'Sullivan", 'Doyle', 'McCarthy', 'Gallagher', 'Kennedy', 'Lynch'],
  },
  polish: {
    f: ['Zofia', 'Agnieszka', 'Katarzyna', 'Magdalena', 'Joanna', 'Aleksandra', 'Natalia', 'Ewa', 'Marta', 'Julia'],
    m: ['Piotr', 'Tomasz', 'Jakub', 'Marek', 'Krzysztof', 'Paweł', 'Michał', 'Łukasz', 'Kamil', 'Adam'],
    last: ['Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Kowalczyk', 'Kamiński', 'Lewandowski', 'Zieliński', 'Szymański', 'Woźniak', 'Dąbrowski', 'Mazur'],
  },
  anglo: {
    f: ['Emily', 'Hannah', 'Olivia', 'Sarah', 'Rachel', 'Jessica', 'Laura', 'Sophie', 'Megan', 'Charlotte'],
    m: ['James', 'Michael', 'David', 'Daniel', 'Thomas', 'Benjamin', 'Matthew', 'Ryan', 'Andrew', 'Oliver'],
    last: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Anderson', 'Clark', 'Walker', 'Hall', 'Wright', 'Müller', 'Rossi', 'Dubois'],
  },
  filipino: {
    f: ['Maricel', 'Jasmine', 'Angelica', 'Kristine', 'Maria', 'Joy', 'Princess', 'Camille', 'Rhea', 'Lovely'],
    m: ['Jose', 'Mark', 'Paolo', 'John Paul', 'Rafael', 'Jerome', 'Christian', 'Ramon', 'Jericho', 'Miguel'],
    last: ['Reyes', 'Cruz', 'Bautista', 'Dela Cruz', 'Santos', 'Garcia', 'Mendoza', 'Torres', 'Villanueva', 'Ramos', 'Aquino', 'Castillo'],
  },
  eastAsian: {
    f: ['Mei', 'Yuki', 'Hye-jin', 'Xin Yi', 'Li Na', 'Min-seo', 'Hana', 'Wei Ling', 'Aiko', 'Jia Hui'],
    m: ['Wei', 'Hiroshi', 'Min-jun', 'Jun Jie', 'Hao', 'Kenji', 'Ji-ho', 'Zhi Wei', 'Takumi', 'Jian'],
    last: ['Chen', 'Wang', 'Tan', 'Lim', 'Lee', 'Kim', 'Park', 'Nguyen', 'Tran', 'Sato', 'Tanaka', 'Wong', 'Ng', 'Goh'],
  },
  southAsian: {
    f: ['Priya', 'Ananya', 'Divya', 'Kavya', 'Aisha', 'Sneha', 'Pooja', 'Nisha', 'Lakshmi', 'Meera'],
    m: ['Ravi', 'Arjun', 'Rahul', 'Vikram', 'Aditya', 'Sanjay', 'Karthik', 'Rohan', 'Imran', 'Amit'],
    last: ['Patel', 'Shah', 'Singh', 'Kumar', 'Sharma', 'Iyer', 'Reddy', 'Nair', 'Khan', 'Gupta', 'Rao', 'Menon'],
  },
  hispanic: {
    f: ['Camila', 'Valentina', 'Daniela', 'Lucía', 'Isabella', 'Mariana', 'Gabriela', 'Paula', 'Carmen', 'Sofía'],
    m: ['Santiago', 'Andrés', 'Mateo', 'Carlos', 'Juan David', 'Alejandro', 'Luis', 'Diego', 'Sebastián', 'Felipe'],
    last: ['Rodríguez', 'Gómez', 'Martínez', 'López', 'Hernández', 'García', 'González', 'Ramírez', 'Torres', 'Vargas', 'Castro', 'Jiménez'],
  },
  black: {
    f: ['Amara', 'Chiamaka', 'Imani', 'Keisha', 'Aaliyah', 'Zainab', 'Abena', 'Ngozi', 'Tiana', 'Adaeze'],
    m: ['Kwame', 'Chinedu', 'Tunde', 'Jamal', 'Malik', 'Kofi', 'Darnell', 'Emeka', 'Marcus', 'Tyrone'],
    last: ['Okafor', 'Adeyemi', 'Mensah', 'Owusu', 'Diallo', 'Johnson', 'Williams', 'Jackson', 'Robinson', 'Okonkwo', 'Asante', 'Harris'],
  },
  mena: {
    f: ['Fatima', 'Leila', 'Noor', 'Yasmin', 'Rania', 'Salma', 'Dina', 'Mariam', 'Elif', 'Nadia'],
    m: ['Omar', 'Ahmed', 'Yusuf', 'Karim', 'Mehmet', 'Hassan', 'Tariq', 'Sami', 'Khalid', 'Amir'],
    last: ['Haddad', 'Nasser', 'Hassan', 'Ali', 'Yilmaz', 'Kaya', 'Khalil', 'Mansour', 'Saleh', 'Aziz', 'Farouk', 'Demir'],
  },
} satisfies Record<string, NamePool>;

type PoolName = keyof typeof POOLS;
const ALL = Object.keys(POOLS) as PoolName[];

/** The pools someone of this heritage working at this site most likely draws from. */
function poolsFor(siteKey: string, ethnicity: string): PoolName[] {
  switch (ethnicity) {
    case 'White':
      return siteKey === 'lisbon' ? ['portuguese'] : siteKey === 'krakow' ? ['polish'] : siteKey === 'dublin' ? ['irish'] : siteKey === 'bogota' ? ['hispanic'] : ['anglo'];
    case 'Asian':
      return siteKey === 'manila' ? ['filipino'] : siteKey === 'singapore' ? ['eastAsian', 'eastAsian', 'southAsian'] : ['eastAsian', 'southAsian', 'filipino'];
    case 'Hispanic or Latino':
      return ['hispanic'];
    case 'Black':
      return ['black'];
    case 'Middle Eastern or North African':
      return ['mena'];
    default:
      return ALL;
  }
}

/** A full name; `gender` X or Undisclosed draws a given name from either list. */
export function personName(rng: Random, siteKey: string, ethnicity: string, gender: string): { first: string; last: string } {
  // One in six names comes from anywhere: people move, marry, have mixed families.
  const pool = POOLS[rng.chance(1 / 6) ? rng.pick(ALL) : rng.pick(poolsFor(siteKey, ethnicity))];
  const given = gender === 'F' ? pool.f : gender === 'M' ? pool.m : rng.chance(0.5) ? pool.f : pool.m;
  return { first: rng.pick(given), last: rng.pick(pool.last) };
}
